import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * What a client library sent after a real ceremony (headless Chromium, CDP virtual
 * authenticator), recorded by scripts/record-client-responses.ts: a registration and then a
 * sign-in with the same key, each with the challenge it answered.
 */
export interface ClientFixture {
  description: string;
  client: "simplewebauthn-browser" | "flask-security" | "tojson";
  source: string;
  recordedWith: string;
  rpId: string;
  origin: string;
  /** `first`: a passkey signing in without a name; `secondary`: a key after a password. */
  usage: "first" | "secondary";
  /** `user.id` of the registration (base64url): the user handle the key holds. */
  userId: string;
  registration: { challenge: string; response: Record<string, unknown> };
  authentication: {
    challenge: string;
    /** Whether the sign-in named its user (allowCredentials), or was usernameless. */
    named: boolean;
    response: { response: Record<string, unknown> } & Record<string, unknown>;
  };
}

const dir = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "clients");

export const clientFixtures: Array<{ file: string; fx: ClientFixture }> = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((file) => ({
    file,
    fx: JSON.parse(readFileSync(join(dir, file), "utf8")) as ClientFixture,
  }));
