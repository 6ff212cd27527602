/**
 * Raw limits on one core (a sequential loop on one thread): node:crypto ES256 verifications with
 * a prepared KeyObject (the floor cost of one sign-in) and @simplewebauthn/server's
 * verifyAuthenticationResponse on a real assertion; plus Keyward's assertion fast path.
 */
import { createHash, createPublicKey, generateKeyPairSync, sign, verify } from "node:crypto";
import {
  type AuthenticationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from "@simplewebauthn/server";
import { SoftwareAuthenticator } from "../src/testing/index.js";
import { verifyAssertionFast } from "../src/webauthn/fast-assertion.js";

export interface RawResult {
  /** node:crypto ES256 verify() calls per second, KeyObject prepared once. */
  es256VerifyPerSecond: number;
  /** @simplewebauthn/server verifyAuthenticationResponse() calls per second, sequential. */
  libraryVerifyPerSecond: number;
  /** Keyward's verifyAssertionFast() calls per second, sequential. */
  fastPathVerifyPerSecond: number;
}

const ORIGIN = "http://localhost:8080";
const RP_ID = "localhost";

function loopFor(ms: number, body: () => void): number {
  let count = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    // Check the clock every 64 calls so timing costs nothing next to the work.
    for (let i = 0; i < 64; i++) body();
    count += 64;
    now = performance.now();
  }
  return (count / (now - start)) * 1000;
}

async function loopForAsync(ms: number, body: () => Promise<void>): Promise<number> {
  let count = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 16; i++) await body();
    count += 16;
    now = performance.now();
  }
  return (count / (now - start)) * 1000;
}

/** A registered ES256 credential and one real assertion for it. */
async function realAssertion() {
  const authenticator = new SoftwareAuthenticator({ origin: ORIGIN });
  const registration = await authenticator.register({
    challenge: "cmVnaXN0cmF0aW9uLWNoYWxsZW5nZQ",
    rp: { id: RP_ID, name: "raw" },
    user: { id: "dXNlcg", name: "user", displayName: "user" },
    pubKeyCredParams: [{ alg: -7, type: "public-key" }],
    authenticatorSelection: { residentKey: "required" },
  });
  const verified = await verifyRegistrationResponse({
    response: registration,
    expectedChallenge: "cmVnaXN0cmF0aW9uLWNoYWxsZW5nZQ",
    expectedOrigin: ORIGIN,
    expectedRPID: RP_ID,
  });
  if (!verified.verified) throw new Error("raw: registration did not verify");
  const challenge = "c2lnbi1pbi1jaGFsbGVuZ2U";
  const response: AuthenticationResponseJSON = await authenticator.authenticate({
    challenge,
    rpId: RP_ID,
  });
  const { id, publicKey } = verified.registrationInfo.credential;
  return { response, challenge, credential: { id, publicKey, counter: 0 } };
}

export async function measureRaw(durationMs: number): Promise<RawResult> {
  // The floor: one ES256 verification of a sign-in's signed bytes (authData || SHA-256(clientData)).
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  // Imported once from its stored form, as a server would do.
  const key = createPublicKey({ key: publicKey.export({ format: "jwk" }), format: "jwk" });
  const message = Buffer.concat([
    createHash("sha256").update("localhost").digest(),
    Buffer.from([0x05, 0, 0, 0, 1]),
    createHash("sha256").update("client data").digest(),
  ]);
  const signature = sign("sha256", message, privateKey);
  const es256VerifyPerSecond = loopFor(durationMs, () => {
    if (!verify("sha256", message, key, signature)) throw new Error("raw: ES256 did not verify");
  });

  const { response, challenge, credential } = await realAssertion();
  const options = {
    response,
    expectedChallenge: challenge,
    expectedOrigin: ORIGIN,
    expectedRPID: RP_ID,
    credential,
    requireUserVerification: false,
  };
  const libraryVerifyPerSecond = await loopForAsync(durationMs, async () => {
    const result = await verifyAuthenticationResponse(options);
    if (!result.verified) throw new Error("raw: library did not verify");
  });
  const fastPathVerifyPerSecond = await loopForAsync(durationMs, async () => {
    const result = await verifyAssertionFast(options);
    if (!result.verified) throw new Error("raw: fast path did not verify");
  });
  return { es256VerifyPerSecond, libraryVerifyPerSecond, fastPathVerifyPerSecond };
}
