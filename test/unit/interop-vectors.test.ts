/**
 * Interop vectors: WebAuthn responses recorded from real authenticators (and a few FIDO
 * conformance-tool / browser virtual authenticators), published in public test suites.
 *
 * Every fixture in test/fixtures/interop/ is run through @simplewebauthn/server's real
 * verifyRegistrationResponse / verifyAuthenticationResponse: no mocks, no stubs. The only
 * environment adjustments a fixture may request are:
 *   - `rootCertificates`: per-format trust anchors to install in SettingsService for that run
 *     (restored afterwards), e.g. clearing the Google roots for conformance-tool android-key
 *     vectors whose chain ends at a FAKE root;
 *   - `atTime`: pin Date (only Date; timers stay real) to when an expired attestation cert was
 *     valid. Such fixtures carry `verifiesToday: false` and a `reason`, and we also prove that
 *     they really fail with the real clock.
 */
import { verifyAuthenticationResponse, verifyRegistrationResponse } from "@simplewebauthn/server";
import { isoBase64URL } from "@simplewebauthn/server/helpers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { applyRootCertificates, type Fixture, fixtures } from "../helpers/interop-fixtures.js";

const MIN_VERIFYING_TODAY = 12;
const MIN_FIXTURES = 14;

async function verifyFixture(fx: Fixture): Promise<void> {
  const restoreRoots = applyRootCertificates(fx);
  try {
    if (fx.kind === "registration") {
      const verification = await verifyRegistrationResponse({
        response: fx.response,
        expectedChallenge: fx.expectedChallenge,
        expectedOrigin: fx.origin,
        expectedRPID: fx.rpId,
        requireUserVerification: fx.requireUserVerification,
        ...(fx.supportedAlgorithmIDs ? { supportedAlgorithmIDs: fx.supportedAlgorithmIDs } : {}),
      });
      expect(verification.verified).toBe(true);
      const info = verification.registrationInfo;
      expect(info).toBeDefined();
      if (!info) return;
      expect(info.fmt).toBe(fx.expect.fmt);
      expect(info.fmt).toBe(fx.format);
      expect(info.credential.id).toBe(fx.expect.credentialId);
      expect(info.credential.id).toBe(fx.response.id);
      expect(info.credential.counter).toBe(fx.expect.counter);
      expect(isoBase64URL.fromBuffer(info.credential.publicKey)).toBe(
        fx.expect.credentialPublicKey,
      );
      expect(info.userVerified).toBe(fx.expect.userVerified);
      expect(info.aaguid).toBe(fx.expect.aaguid);
      expect(info.origin).toBe(fx.origin);
      expect(info.rpID).toBe(fx.rpId);
    } else {
      const verification = await verifyAuthenticationResponse({
        response: fx.response,
        expectedChallenge: fx.expectedChallenge,
        expectedOrigin: fx.origin,
        expectedRPID: fx.rpId,
        requireUserVerification: fx.requireUserVerification,
        credential: {
          id: fx.credential.id,
          publicKey: isoBase64URL.toBuffer(fx.credential.publicKey),
          counter: fx.credential.counter,
        },
      });
      expect(verification.verified).toBe(true);
      const info = verification.authenticationInfo;
      expect(info.credentialID).toBe(fx.expect.credentialId);
      expect(info.newCounter).toBe(fx.expect.newCounter);
      expect(info.userVerified).toBe(fx.expect.userVerified);
      expect(info.origin).toBe(fx.origin);
      expect(info.rpID).toBe(fx.rpId);
    }
  } finally {
    restoreRoots();
  }
}

function challengeInClientData(fx: Fixture): string {
  const json = JSON.parse(isoBase64URL.toUTF8String(fx.response.response.clientDataJSON)) as {
    challenge: string;
    origin: string;
  };
  return json.challenge;
}

const verifiedWithRealClock = new Set<string>();

describe("interop vectors (recorded WebAuthn responses)", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("has fixtures to check", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(MIN_FIXTURES);
  });

  for (const { file, fx } of fixtures) {
    describe(`${file}: ${fx.description}`, () => {
      it("is self-consistent", () => {
        expect(["registration", "authentication"]).toContain(fx.kind);
        expect(fx.expectedChallenge).toBe(challengeInClientData(fx));
        expect(fx.response.id).toBe(fx.response.rawId);
        expect(fx.expect.credentialId).toBe(fx.response.id);
        if (fx.kind === "authentication") expect(fx.credential.id).toBe(fx.response.id);
        if (!fx.verifiesToday) {
          expect(fx.atTime, "verifiesToday:false fixtures must pin a time").toBeTypeOf("string");
          expect(fx.reason).toBeTypeOf("string");
        }
      });

      if (fx.atTime) {
        const atTime = fx.atTime;
        it(`verifies with the clock pinned to ${atTime}`, async () => {
          vi.useFakeTimers({ toFake: ["Date"] });
          vi.setSystemTime(new Date(atTime));
          await verifyFixture(fx);
        });
      }

      if (fx.verifiesToday) {
        it("verifies with the real clock", async () => {
          await verifyFixture(fx);
          verifiedWithRealClock.add(file);
        });
      } else {
        it("does not verify with the real clock (expired attestation certificate)", async () => {
          await expect(verifyFixture(fx)).rejects.toThrow();
        });
      }
    });
  }

  it(`at least ${MIN_VERIFYING_TODAY} fixtures verify with the real clock`, () => {
    const claimed = fixtures.filter(({ fx }) => fx.verifiesToday && !fx.atTime).length;
    expect(claimed).toBeGreaterThanOrEqual(MIN_VERIFYING_TODAY);
    expect(verifiedWithRealClock.size).toBeGreaterThanOrEqual(MIN_VERIFYING_TODAY);
  });
});
