import type { PublicKeyCredentialHint } from "@simplewebauthn/server";
import { describe, expect, it } from "vitest";
import type { KeyPlacement } from "../../src/index.js";
import { type Usage, WebauthnUtil } from "../../src/index.js";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import {
  PASSWORD,
  registerKey,
  signUp,
  startKeyRegistration,
  startKeySignin,
} from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { useHarness } from "../helpers/harness.js";

const [sqlite] = await databaseTargets();

describe("WebAuthn Level 3 hints in creation and request options", () => {
  const h = useHarness(sqlite!);

  it("hints a new key after its usage and where the user asked it to live", async () => {
    const client = h.client();
    await signUp(client);
    const hintsFor = async (input: Parameters<typeof startKeyRegistration>[1]) =>
      (await startKeyRegistration(client, input)).options;

    // A passkey lives on a security key unless the user says otherwise (defaultAttachment).
    const roaming = await hintsFor({ name: "A", usage: "first" });
    expect(roaming.hints).toEqual(["security-key"]);
    expect(roaming.authenticatorSelection?.authenticatorAttachment).toBe("cross-platform");

    const here = await hintsFor({ name: "B", usage: "first", attachment: "platform" });
    expect(here.hints).toEqual(["client-device"]);
    expect(here.authenticatorSelection?.authenticatorAttachment).toBe("platform");

    // A phone is a cross-platform authenticator, reached by QR code: the hint says which.
    const phone = await hintsFor({ name: "C", usage: "first", attachment: "hybrid" });
    expect(phone.hints).toEqual(["hybrid"]);
    expect(phone.authenticatorSelection?.authenticatorAttachment).toBe("cross-platform");

    // A second factor goes wherever the browser offers: no hint narrows it.
    const secondary = await hintsFor({ name: "D", usage: "secondary" });
    expect(secondary.hints).toBeUndefined();
    expect(secondary.authenticatorSelection?.authenticatorAttachment).toBeUndefined();
    const secondaryKey = await hintsFor({
      name: "E",
      usage: "secondary",
      attachment: "cross-platform",
    });
    expect(secondaryKey.hints).toEqual(["security-key"]);
  });

  it("hints a sign-in after where the allowed keys live, and not a usernameless one", async () => {
    const client = h.client();
    const email = await signUp(client);
    // Registered without UV, so the account still reaches AAL1 and may add the next key.
    const laptop = new SoftwareAuthenticator({
      origin: h.origin,
      transports: ["internal"],
      userVerification: false,
    });
    const added = await registerKey(client, laptop, {
      name: "Laptop",
      usage: "first",
    });
    expect(added.status, JSON.stringify(added.body)).toBe(201);

    const usernameless = await startKeySignin(h.client());
    expect(usernameless.options.hints).toBeUndefined();
    const named = await startKeySignin(h.client(), { identity: email });
    expect(named.options.allowCredentials).toHaveLength(1);
    expect(named.options.hints).toEqual(["client-device"]);

    // A second factor on a USB key: the second-factor sign-in hints a security key.
    const usb = new SoftwareAuthenticator({
      origin: h.origin,
      transports: ["usb"],
      attachment: "cross-platform",
      userVerification: false,
    });
    const second = await registerKey(client, usb, { name: "USB", usage: "secondary" });
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    const visitor = h.client();
    const login = await visitor.post("/login", { identity: email, password: PASSWORD });
    expect(login.body).toMatchObject({ twoFactorRequired: true });
    const pending = await startKeySignin(visitor, { secondFactorState: login.body.state });
    expect(pending.options.hints).toEqual(["security-key"]);
  });
});

/** An app that prefers a phone for passkeys, then a security key. */
class PhoneFirstUtil extends WebauthnUtil {
  override hints(usage: Usage, placement: KeyPlacement | undefined): PublicKeyCredentialHint[] {
    return usage === "first" ? ["hybrid", "security-key"] : super.hints(usage, placement);
  }
}

describe("a WebauthnUtil subclass overriding hints", () => {
  const h = useHarness(sqlite!, { webauthnUtil: PhoneFirstUtil });

  it("sends the subclass's hints for passkeys, the default ones otherwise", async () => {
    const client = h.client();
    await signUp(client);
    const first = await startKeyRegistration(client, { name: "A", usage: "first" });
    expect(first.options.hints).toEqual(["hybrid", "security-key"]);
    const secondary = await startKeyRegistration(client, {
      name: "B",
      usage: "secondary",
      attachment: "platform",
    });
    expect(secondary.options.hints).toEqual(["client-device"]);
    const signin = await startKeySignin(h.client());
    expect(signin.options.hints).toEqual(["hybrid", "security-key"]);
  });
});
