import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
  type RootCertIdentifier,
  SettingsService,
} from "@simplewebauthn/server";

/** Recorded WebAuthn responses from public test suites (see test/unit/interop-vectors.test.ts). */
export interface BaseFixture {
  description: string;
  source: string;
  format: string;
  rpId: string;
  origin: string;
  expectedChallenge: string;
  requireUserVerification: boolean;
  supportedAlgorithmIDs?: number[];
  rootCertificates?: Partial<Record<RootCertIdentifier, string[]>>;
  rootCertificatesReason?: string;
  verifiesToday: boolean;
  atTime?: string;
  reason?: string;
}

export interface RegistrationFixture extends BaseFixture {
  kind: "registration";
  response: RegistrationResponseJSON;
  expect: {
    credentialId: string;
    fmt: string;
    counter: number;
    userVerified: boolean;
    credentialPublicKey: string;
    aaguid: string;
    publicKeyAlg: number;
  };
}

export interface AuthenticationFixture extends BaseFixture {
  kind: "authentication";
  response: AuthenticationResponseJSON;
  credential: { id: string; publicKey: string; counter: number };
  expect: { credentialId: string; newCounter: number; userVerified: boolean };
}

export type Fixture = RegistrationFixture | AuthenticationFixture;

const fixturesDir = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "interop");

export const fixtures: Array<{ file: string; fx: Fixture }> = readdirSync(fixturesDir)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((file) => ({
    file,
    fx: JSON.parse(readFileSync(join(fixturesDir, file), "utf8")) as Fixture,
  }));

/** Install per-fixture trust anchors, returning a function that restores the previous ones. */
export function applyRootCertificates(fx: Fixture): () => void {
  const previous: Array<[RootCertIdentifier, string[]]> = [];
  for (const [identifier, certificates] of Object.entries(fx.rootCertificates ?? {})) {
    const id = identifier as RootCertIdentifier;
    previous.push([id, SettingsService.getRootCertificates({ identifier: id })]);
    SettingsService.setRootCertificates({ identifier: id, certificates: certificates ?? [] });
  }
  return () => {
    for (const [identifier, certificates] of previous) {
      SettingsService.setRootCertificates({ identifier, certificates });
    }
  };
}
