import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type WebAuthnCredential,
} from "@simplewebauthn/server";
import { isoBase64URL, isoCBOR } from "@simplewebauthn/server/helpers";
import { describe, expect, it } from "vitest";
import {
  type AuthenticationOverrides,
  AuthenticatorError,
  type RegistrationOverrides,
  type SoftwareAlgorithm,
  SoftwareAuthenticator,
} from "../../../src/testing/index.js";

const ORIGIN = "http://localhost:3000";
const RP_ID = "localhost";
const USER_ID = new TextEncoder().encode("user-1234");

function registrationOptions(
  extra: Partial<Parameters<typeof generateRegistrationOptions>[0]> = {},
) {
  return generateRegistrationOptions({
    rpName: "Keyward test",
    rpID: RP_ID,
    userName: "alice",
    userID: USER_ID,
    ...extra,
  });
}

async function verifyRegistration(response: RegistrationResponseJSON, challenge: string) {
  return verifyRegistrationResponse({
    response,
    expectedChallenge: challenge,
    expectedOrigin: ORIGIN,
    expectedRPID: RP_ID,
  });
}

async function verifyAuthentication(
  response: AuthenticationResponseJSON,
  challenge: string,
  credential: WebAuthnCredential,
) {
  return verifyAuthenticationResponse({
    response,
    expectedChallenge: challenge,
    expectedOrigin: ORIGIN,
    expectedRPID: RP_ID,
    credential,
  });
}

/** Register one credential and return what a server would store for it. */
async function enroll(auth: SoftwareAuthenticator): Promise<WebAuthnCredential> {
  const options = await registrationOptions();
  const result = await verifyRegistration(await auth.register(options), options.challenge);
  expect(result.verified).toBe(true);
  const { credential } = result.registrationInfo!;
  return { id: credential.id, publicKey: credential.publicKey, counter: credential.counter };
}

const algorithms: SoftwareAlgorithm[] = ["ES256", "EdDSA", "RS256"];
const attestations = ["none", "packed"] as const;

describe("SoftwareAuthenticator ceremonies", () => {
  for (const algorithm of algorithms) {
    for (const attestation of attestations) {
      it(`${algorithm} with ${attestation} attestation registers and signs in twice`, async () => {
        const auth = new SoftwareAuthenticator({ origin: ORIGIN, algorithm, attestation });
        const options = await registrationOptions();
        const registration = await auth.register(options);
        const reg = await verifyRegistration(registration, options.challenge);
        expect(reg.verified).toBe(true);
        const info = reg.registrationInfo!;
        expect(info.fmt).toBe(attestation);
        expect(info.credential.id).toBe(registration.id);
        expect(info.credential.counter).toBe(0);
        expect(registration.response.publicKeyAlgorithm).toBe(
          { ES256: -7, EdDSA: -8, RS256: -257 }[algorithm],
        );

        const credential: WebAuthnCredential = {
          id: info.credential.id,
          publicKey: info.credential.publicKey,
          counter: info.credential.counter,
        };
        for (const expected of [1, 2]) {
          const req = await generateAuthenticationOptions({
            rpID: RP_ID,
            allowCredentials: [{ id: credential.id }],
          });
          const result = await verifyAuthentication(
            await auth.authenticate(req),
            req.challenge,
            credential,
          );
          expect(result.verified).toBe(true);
          expect(result.authenticationInfo.newCounter).toBe(expected);
          credential.counter = result.authenticationInfo.newCounter;
        }
        expect(auth.credentials[0]?.counter).toBe(2);
      });
    }
  }

  it("signs in without allowCredentials using a discoverable credential", async () => {
    const auth = new SoftwareAuthenticator({ origin: ORIGIN });
    const credential = await enroll(auth);
    const req = await generateAuthenticationOptions({ rpID: RP_ID });
    const response = await auth.authenticate(req);
    expect(response.response.userHandle).toBe(isoBase64URL.fromBuffer(USER_ID));
    expect(response.id).toBe(credential.id);
    const result = await verifyAuthentication(response, req.challenge, credential);
    expect(result.verified).toBe(true);
  });

  it("does not offer a non-discoverable credential without allowCredentials", async () => {
    const auth = new SoftwareAuthenticator({ origin: ORIGIN, discoverable: false });
    await enroll(auth);
    const req = await generateAuthenticationOptions({ rpID: RP_ID });
    await expect(auth.authenticate(req)).rejects.toMatchObject({ name: "NotAllowedError" });
  });

  it("reports credProps when asked", async () => {
    const auth = new SoftwareAuthenticator({ origin: ORIGIN });
    const options = await registrationOptions();
    const response = await auth.register(options);
    expect(response.clientExtensionResults).toEqual({ credProps: { rk: true } });
  });

  it("keeps the counter at zero in zero mode", async () => {
    const auth = new SoftwareAuthenticator({ origin: ORIGIN, counter: "zero" });
    const credential = await enroll(auth);
    for (let i = 0; i < 2; i++) {
      const req = await generateAuthenticationOptions({ rpID: RP_ID });
      const result = await verifyAuthentication(
        await auth.authenticate(req),
        req.challenge,
        credential,
      );
      expect(result.authenticationInfo.newCounter).toBe(0);
    }
  });

  it("throws InvalidStateError for an excluded credential", async () => {
    const auth = new SoftwareAuthenticator({ origin: ORIGIN });
    const credential = await enroll(auth);
    const options = await registrationOptions({ excludeCredentials: [{ id: credential.id }] });
    const attempt = auth.register(options);
    await expect(attempt).rejects.toBeInstanceOf(AuthenticatorError);
    await expect(attempt).rejects.toMatchObject({ name: "InvalidStateError" });
    await expect(auth.register(options, { ignoreExcludeCredentials: true })).resolves.toBeDefined();
  });

  it("throws NotSupportedError when the RP does not accept the algorithm", async () => {
    const auth = new SoftwareAuthenticator({ origin: ORIGIN, algorithm: "EdDSA" });
    const options = await registrationOptions({ supportedAlgorithmIDs: [-7] });
    await expect(auth.register(options)).rejects.toMatchObject({ name: "NotSupportedError" });
  });

  it("throws NotAllowedError when no credential matches", async () => {
    const auth = new SoftwareAuthenticator({ origin: ORIGIN });
    const req = await generateAuthenticationOptions({ rpID: RP_ID });
    await expect(auth.authenticate(req)).rejects.toMatchObject({ name: "NotAllowedError" });
  });

  it("forgets credentials", async () => {
    const auth = new SoftwareAuthenticator({ origin: ORIGIN });
    const credential = await enroll(auth);
    expect(auth.credentials.map((c) => c.id)).toEqual([credential.id]);
    auth.forget(credential.id);
    expect(auth.credentials).toEqual([]);
  });

  it("uses an explicit credential id and encodes it in authData", async () => {
    const auth = new SoftwareAuthenticator({
      origin: ORIGIN,
      aaguid: "01234567-89ab-cdef-0123-456789abcdef",
    });
    const id = isoBase64URL.fromBuffer(new Uint8Array(40).fill(7));
    const options = await registrationOptions();
    const response = await auth.register(options, { credentialId: id });
    expect(response.id).toBe(id);
    const result = await verifyRegistration(response, options.challenge);
    expect(result.registrationInfo?.credential.id).toBe(id);
    expect(result.registrationInfo?.aaguid).toBe("01234567-89ab-cdef-0123-456789abcdef");
    const decoded = isoCBOR.decodeFirst<Map<string, unknown>>(
      isoBase64URL.toBuffer(response.response.attestationObject),
    );
    expect([...decoded.keys()]).toEqual(["fmt", "attStmt", "authData"]);
  });
});

describe("SoftwareAuthenticator overrides break verification", () => {
  const registrationAttacks: [string, RegistrationOverrides][] = [
    ["origin", { origin: "https://evil.example" }],
    ["challenge", { challenge: isoBase64URL.fromUTF8String("stale") }],
    ["type", { type: "webauthn.get" }],
    ["rpId", { rpId: "evil.example" }],
    ["up:false", { flags: { up: false } }],
    ["uv:false", { flags: { uv: false } }],
  ];
  for (const [name, overrides] of registrationAttacks) {
    it(`registration rejects ${name}`, async () => {
      const auth = new SoftwareAuthenticator({ origin: ORIGIN });
      const options = await registrationOptions();
      const response = await auth.register(options, overrides);
      await expect(verifyRegistration(response, options.challenge)).rejects.toThrow();
    });
  }

  it("packed registration rejects tamperSignature", async () => {
    const auth = new SoftwareAuthenticator({ origin: ORIGIN, attestation: "packed" });
    const options = await registrationOptions();
    const response = await auth.register(options, { tamperSignature: true });
    const result = await verifyRegistration(response, options.challenge).catch(() => ({
      verified: false,
    }));
    expect(result.verified).toBe(false);
  });

  const authenticationAttacks: [string, AuthenticationOverrides][] = [
    ["origin", { origin: "https://evil.example" }],
    ["challenge", { challenge: isoBase64URL.fromUTF8String("stale") }],
    ["type", { type: "webauthn.create" }],
    ["rpId", { rpId: "evil.example" }],
    ["up:false", { flags: { up: false } }],
    ["uv:false", { flags: { uv: false } }],
    ["tamperSignature", { tamperSignature: true }],
    ["signOver", { signOver: new Uint8Array(64) }],
  ];
  for (const [name, overrides] of authenticationAttacks) {
    it(`authentication rejects ${name}`, async () => {
      for (const algorithm of algorithms) {
        const auth = new SoftwareAuthenticator({ origin: ORIGIN, algorithm });
        const credential = await enroll(auth);
        const req = await generateAuthenticationOptions({ rpID: RP_ID });
        const response = await auth.authenticate(req, overrides);
        const result = await verifyAuthentication(response, req.challenge, credential).catch(
          () => ({ verified: false }),
        );
        expect(result.verified, algorithm).toBe(false);
      }
    });
  }

  // The library does not compare response.id to the credential it is given: the RP must look the
  // credential up by response.id, and then the claimed credential's key will not verify.
  it("responseCredentialId claims another credential whose key does not verify", async () => {
    const auth = new SoftwareAuthenticator({ origin: ORIGIN, discoverable: false });
    const mine = await enroll(auth);
    const victim = await enroll(auth);
    const req = await generateAuthenticationOptions({ rpID: RP_ID });
    const response = await auth.authenticate(req, {
      credentialId: mine.id,
      responseCredentialId: victim.id,
    });
    expect(response.id).toBe(victim.id);
    expect(response.rawId).toBe(victim.id);
    const result = await verifyAuthentication(response, req.challenge, victim).catch(() => ({
      verified: false,
    }));
    expect(result.verified).toBe(false);
  });

  it("an explicit lower counter is flagged as a possible clone", async () => {
    const auth = new SoftwareAuthenticator({ origin: ORIGIN });
    const credential = { ...(await enroll(auth)), counter: 5 };
    const req = await generateAuthenticationOptions({ rpID: RP_ID });
    const response = await auth.authenticate(req, { counter: 3 });
    await expect(verifyAuthentication(response, req.challenge, credential)).rejects.toThrow(
      /counter/i,
    );
  });

  it("set() changes behaviour between ceremonies", async () => {
    const auth = new SoftwareAuthenticator({ origin: ORIGIN });
    const credential = await enroll(auth);
    auth.set({ userVerification: false });
    expect(auth.options.userVerification).toBe(false);
    const req = await generateAuthenticationOptions({ rpID: RP_ID });
    await expect(
      verifyAuthentication(await auth.authenticate(req), req.challenge, credential),
    ).rejects.toThrow();
  });

  it("userHandle null omits the handle", async () => {
    const auth = new SoftwareAuthenticator({ origin: ORIGIN });
    await enroll(auth);
    const req = await generateAuthenticationOptions({ rpID: RP_ID });
    const response = await auth.authenticate(req, { userHandle: null });
    expect("userHandle" in response.response).toBe(false);
  });
});
