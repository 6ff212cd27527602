import { describe, expect, it } from "vitest";
import { PlatformPasskeysUtil } from "../../examples/policy/platform-passkeys.js";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import { expectRefused } from "../helpers/attacks.js";
import {
  registerKey,
  signInWithKey,
  signUp,
  startKeyRegistration,
  startKeySignin,
} from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { useHarness } from "../helpers/harness.js";

const [sqlite] = await databaseTargets();

describe("the WebauthnUtil subclassing example (docs/webauthn-util.md)", () => {
  const h = useHarness(sqlite!, { webauthnUtil: PlatformPasskeysUtil });

  it("asks for platform passkeys with user verification, and leaves second factors alone", async () => {
    const client = h.client();
    await signUp(client);
    const first = await startKeyRegistration(client, { name: "Laptop", usage: "first" });
    expect(first.options.authenticatorSelection).toEqual({
      authenticatorAttachment: "platform",
      residentKey: "required",
      requireResidentKey: true,
      userVerification: "required",
    });
    // The hint follows the subclass's attachment: this device.
    expect(first.options.hints).toEqual(["client-device"]);
    const second = await startKeyRegistration(client, { name: "Key", usage: "secondary" });
    expect(second.options.authenticatorSelection).toMatchObject({
      userVerification: "discouraged",
    });
    const signin = await startKeySignin(h.client());
    expect(signin.options.userVerification).toBe("required");
  });

  it("refuses a passkey that does not verify the user, and signs in at AAL2 with one that does", async () => {
    const client = h.client();
    await signUp(client);
    const noUv = await registerKey(
      client,
      new SoftwareAuthenticator({ origin: h.origin, userVerification: false }),
      {
        name: "Old key",
        usage: "first",
      },
    );
    expectRefused(noUv, "WEBAUTHN_VERIFICATION_FAILED");
    const passkey = new SoftwareAuthenticator({ origin: h.origin });
    const added = await registerKey(client, passkey, { name: "My laptop!", usage: "first" });
    expect(added.body.credential).toMatchObject({ name: "My laptop" });
    const signedIn = await signInWithKey(h.client(), passkey);
    expect(signedIn.body.session).toMatchObject({ aal: 2, uv: true });
    // Sign-in demanded UV: an assertion without it is refused, not downgraded.
    const unverified = await signInWithKey(h.client(), passkey, {}, { flags: { uv: false } });
    expectRefused(unverified, "WEBAUTHN_VERIFICATION_FAILED");
  });
});
