/**
 * An assertion verifier that decides exactly like @simplewebauthn/server's
 * verifyAuthenticationResponse (for the options Keyward uses), minus its per-call cost.
 *
 * The library re-imports the COSE public key through WebCrypto on every call, which costs about
 * ten times the signature check itself. Here the key is decoded once per credential (with the
 * library's own CBOR/COSE helpers) and kept as a node:crypto KeyObject in a small LRU cache.
 * Everything else is the library's §7.2 procedure, check for check, in its order and with its
 * messages. test/unit/fast-assertion.test.ts holds both to the same accept/reject decision on
 * recorded vectors and thousands of generated and mutated assertions.
 *
 * Signatures: a key type with a native fast path (ES256 on P-256, EdDSA on Ed25519, RS256) is
 * checked with node:crypto first. Native acceptance implies the library's (same OpenSSL check on
 * the same key; for ES256, strict DER is the subset of what the library's ASN.1 parser accepts).
 * Whatever native refuses, and every other key type, goes to the library's own signature check,
 * so the set of accepted signatures is the library's, exactly.
 */
import { createHash, createPublicKey, hash, type KeyObject, verify } from "node:crypto";
import type {
  AuthenticationResponseJSON,
  VerifiedAuthenticationResponse,
} from "@simplewebauthn/server";
import type { decodeCredentialPublicKey } from "@simplewebauthn/server/helpers";
import { decodeBase64url } from "./base64url.js";
import { type WebauthnHelpers, webauthnLibrary } from "./library.js";

/** What verifyAssertionFast needs; the same names and defaults as verifyAuthenticationResponse. */
export interface FastAssertionOptions {
  /** The AuthenticationResponseJSON from the client. */
  response: AuthenticationResponseJSON;
  /** The base64url challenge sent in the request options. */
  expectedChallenge: string;
  /** Origin(s) the ceremony may have run on. */
  expectedOrigin: string | string[];
  /** RP ID(s) the credential may be scoped to. */
  expectedRPID: string | string[];
  /** The stored credential: id (base64url), COSE public key bytes, stored sign count. */
  credential: { id: string; publicKey: Uint8Array; counter: number };
  /** Refuse an assertion without the UV flag (default true, as in the library). */
  requireUserVerification?: boolean;
}

type CosePublicKey = ReturnType<typeof decodeCredentialPublicKey>;

interface PreparedKey {
  cose: CosePublicKey;
  /** node:crypto key and digest for the natively checked algorithms; null → library check. */
  native: { key: KeyObject; digest: "sha256" | null } | null;
}

// COSE labels and values (RFC 9053): kty 1, alg 3, crv/n -1, x/e -2, y -3.
const KTY = 1;
const ALG = 3;
const KTY_OKP = 1;
const KTY_EC2 = 2;
const KTY_RSA = 3;
const CRV_P256 = 1;
const CRV_ED25519 = 6;
const ALG_ES256 = -7;
const ALG_EDDSA = -8;
const ALG_RS256 = -257;

/** Credentials whose key stays prepared; a KeyObject is a few hundred bytes. */
const CACHE_LIMIT = 10_000;
const keyCache = new Map<string, PreparedKey>();
const rpIdHashes = new Map<string, Uint8Array>();

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");

/** A node:crypto key for the algorithms checked natively, or null to leave it to the library. */
function nativeKey(key: CosePublicKey): PreparedKey["native"] {
  // Read by numeric label: the library's typings give -1/-2 one meaning per key type.
  const entries = key as unknown as Map<number, unknown>;
  const kty = entries.get(KTY);
  const alg = entries.get(ALG);
  const crv = entries.get(-1);
  const field = (label: number) => {
    const value = entries.get(label);
    return value instanceof Uint8Array ? value : undefined;
  };
  try {
    if (kty === KTY_EC2 && alg === ALG_ES256 && crv === CRV_P256) {
      const x = field(-2);
      const y = field(-3);
      if (x?.length !== 32 || y?.length !== 32) return null;
      const jwk = { kty: "EC", crv: "P-256", x: b64url(x), y: b64url(y) };
      return { key: createPublicKey({ key: jwk, format: "jwk" }), digest: "sha256" };
    }
    if (kty === KTY_OKP && alg === ALG_EDDSA && crv === CRV_ED25519) {
      const x = field(-2);
      if (x?.length !== 32) return null;
      const jwk = { kty: "OKP", crv: "Ed25519", x: b64url(x) };
      return { key: createPublicKey({ key: jwk, format: "jwk" }), digest: null };
    }
    if (kty === KTY_RSA && alg === ALG_RS256) {
      const n = field(-1);
      const e = field(-2);
      if (!n?.length || !e?.length) return null;
      const jwk = { kty: "RSA", n: b64url(n), e: b64url(e) };
      return { key: createPublicKey({ key: jwk, format: "jwk" }), digest: "sha256" };
    }
  } catch {
    // A key node:crypto will not import is left to the library, which decides what it means.
  }
  return null;
}

/** The credential's decoded key, decoded and imported once, then served from the cache. */
function preparedKey(
  credentialId: string,
  publicKey: Uint8Array,
  helpers: WebauthnHelpers,
): PreparedKey {
  const cacheKey = `${credentialId}.${b64url(publicKey)}`;
  const cached = keyCache.get(cacheKey);
  if (cached) {
    // Refresh its place: the Map's insertion order is the LRU order.
    keyCache.delete(cacheKey);
    keyCache.set(cacheKey, cached);
    return cached;
  }
  const decoded = helpers.decodeCredentialPublicKey(new Uint8Array(publicKey));
  const prepared: PreparedKey = { cose: decoded, native: nativeKey(decoded) };
  keyCache.set(cacheKey, prepared);
  if (keyCache.size > CACHE_LIMIT) keyCache.delete(keyCache.keys().next().value!);
  return prepared;
}

/**
 * The signature check runs on libuv's thread pool (node:crypto's callback form): it is the
 * largest single CPU cost of a sign-in, and off the event loop it uses another core while the
 * loop serves other requests.
 */
function nativeVerify(
  native: NonNullable<PreparedKey["native"]>,
  data: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  return new Promise((resolve) => {
    try {
      // Whatever node:crypto cannot even parse is for the library to judge.
      verify(native.digest, data, native.key, signature, (error, valid) =>
        resolve(!error && valid),
      );
    } catch {
      resolve(false);
    }
  });
}

function rpIdHash(rpId: string, helpers: WebauthnHelpers): Uint8Array {
  let digest = rpIdHashes.get(rpId);
  if (!digest) {
    // The library hashes the RP ID's char codes as bytes (fromASCIIString); so do we.
    digest = createHash("sha256").update(helpers.isoUint8Array.fromASCIIString(rpId)).digest();
    if (rpIdHashes.size < 64) rpIdHashes.set(rpId, digest);
  }
  return digest;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

const textDecoder = new TextDecoder();

/**
 * Verifies an authentication response like verifyAuthenticationResponse (WebAuthn §7.2): throws
 * on any malformed or unexpected field, and returns `verified: false` when only the signature
 * fails. The result has the library's shape.
 */
export async function verifyAssertionFast(
  options: FastAssertionOptions,
): Promise<VerifiedAuthenticationResponse> {
  const {
    response,
    expectedChallenge,
    expectedOrigin,
    expectedRPID,
    credential,
    requireUserVerification = true,
  } = options;
  const { id, rawId, type: credentialType, response: assertionResponse } = response;
  const { server, helpers } = await webauthnLibrary();
  const { isoBase64URL, parseAuthenticatorData, cose, isoCrypto } = helpers;

  // Ensure credential specified an ID
  if (!id) throw new Error("Missing credential ID");
  // Ensure ID is base64url-encoded
  if (id !== rawId) throw new Error("Credential ID was not base64url-encoded");
  // Make sure credential type is public-key
  if (credentialType !== "public-key") {
    throw new Error(`Unexpected credential type ${credentialType}, expected "public-key"`);
  }
  if (typeof assertionResponse?.clientDataJSON !== "string") {
    throw new Error("Credential response clientDataJSON was not a string");
  }

  // Decode clientDataJSON once: its bytes are hashed below, its JSON checked here.
  const clientDataBytes = decodeBase64url(assertionResponse.clientDataJSON, helpers);
  const clientData = JSON.parse(textDecoder.decode(clientDataBytes));
  const { type, origin, challenge, tokenBinding, crossOrigin, topOrigin } = clientData;

  // Make sure we're handling an authentication
  if (type !== "webauthn.get") throw new Error(`Unexpected authentication response type: ${type}`);

  // Ensure the device provided the challenge we gave it
  if (challenge !== expectedChallenge) {
    throw new Error(
      `Unexpected authentication response challenge "${challenge}", expected "${expectedChallenge}"`,
    );
  }

  // Check that the response did not come from an iframe: no top origin is expected here
  if (topOrigin) {
    throw new Error(
      crossOrigin
        ? `Detected cross-origin authentication response from top origin of "${topOrigin}"`
        : `Unexpected top origin of "${topOrigin}" within a non-cross-origin authentication response`,
    );
  }

  // Check that the origin is our site
  const originAllowed = Array.isArray(expectedOrigin)
    ? expectedOrigin.includes(origin)
    : origin === expectedOrigin;
  if (!originAllowed) {
    throw new Error(`Unexpected authentication response origin "${origin}"`);
  }

  if (!isoBase64URL.isBase64URL(assertionResponse.authenticatorData)) {
    throw new Error("Credential response authenticatorData was not a base64url string");
  }
  if (!isoBase64URL.isBase64URL(assertionResponse.signature)) {
    throw new Error("Credential response signature was not a base64url string");
  }
  if (assertionResponse.userHandle && typeof assertionResponse.userHandle !== "string") {
    throw new Error("Credential response userHandle was not a string");
  }

  if (tokenBinding) {
    if (typeof tokenBinding !== "object") {
      throw new Error("ClientDataJSON tokenBinding was not an object");
    }
    if (["present", "supported", "notSupported"].indexOf(tokenBinding.status) < 0) {
      throw new Error(`Unexpected tokenBinding status ${tokenBinding.status}`);
    }
  }

  const authData = decodeBase64url(assertionResponse.authenticatorData, helpers);
  const {
    rpIdHash: responseRpIdHash,
    flags,
    counter,
    extensionsData,
  } = parseAuthenticatorData(authData);

  // Make sure the response's RP ID is ours
  const expectedRPIDs = typeof expectedRPID === "string" ? [expectedRPID] : expectedRPID;
  const rpID = expectedRPIDs.find((rpId) => sameBytes(responseRpIdHash, rpIdHash(rpId, helpers)));
  if (rpID === undefined) throw new Error("Unexpected RP ID hash");

  // WebAuthn only requires the user presence flag be true
  if (!flags.up) throw new Error("User not present during authentication");
  // Enforce user verification if required
  if (requireUserVerification && !flags.uv) {
    throw new Error("User verification required, but user could not be verified");
  }

  const clientDataHash = hash("sha256", clientDataBytes, "buffer");
  const signatureBase = Buffer.concat([authData, clientDataHash]);
  const signature = decodeBase64url(assertionResponse.signature, helpers);

  // A counter that did not grow (when either side uses one) means a cloned authenticator
  if ((counter > 0 || credential.counter > 0) && counter <= credential.counter) {
    throw new Error(
      `Response counter value ${counter} was lower than expected ${credential.counter}`,
    );
  }

  const key = preparedKey(credential.id, credential.publicKey, helpers);
  const alg = key.cose.get(ALG);
  if (typeof alg !== "number") throw new Error("Credential public key was missing numeric alg");
  if (cose.isPQCCOSEAlg(alg) && !server.SettingsService.runtimeSupportsPQC()) {
    throw new Error(`Credential public key uses unsupported post-quantum algorithm ${alg}`);
  }

  // Backup flags: a single-device credential cannot be backed up
  if (!flags.be && flags.bs) {
    throw new Error(
      "Single-device credential indicated that it was backed up, which should be impossible.",
    );
  }

  // Verify the signature over authData || SHA-256(clientDataJSON) with the stored key
  let verified = key.native !== null && (await nativeVerify(key.native, signatureBase, signature));
  if (!verified) {
    verified = await isoCrypto.verify({
      cosePublicKey: key.cose,
      signature: new Uint8Array(signature),
      data: new Uint8Array(signatureBase),
    });
  }

  return {
    verified,
    authenticationInfo: {
      newCounter: counter,
      credentialID: credential.id,
      userVerified: flags.uv,
      credentialDeviceType: flags.be ? "multiDevice" : "singleDevice",
      credentialBackedUp: flags.bs,
      authenticatorExtensionResults: extensionsData,
      origin: clientData.origin,
      rpID,
    },
  };
}
