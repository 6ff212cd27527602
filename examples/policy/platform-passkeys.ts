/**
 * A WebauthnUtil subclass, as an app would write it: this app wants passkeys that live on the
 * user's own device (Touch ID, Windows Hello, Android screen lock) with user verification
 * always required, so that every passkey sign-in is multi-factor. Everything else keeps
 * Keyward's defaults.
 *
 * In your app: import { WebauthnUtil, type Usage, type User } from "keyward".
 */
import type {
  AuthenticatorSelectionCriteria,
  UserVerificationRequirement,
} from "@simplewebauthn/server";
import type { Usage, User } from "../../src/index.js";
import { WebauthnUtil } from "../../src/index.js";

export class PlatformPasskeysUtil extends WebauthnUtil {
  /** Passkeys on this device, discoverable, always verifying the user; second factors unchanged. */
  override authenticatorSelection(user: User, usage: Usage): AuthenticatorSelectionCriteria {
    if (usage === "secondary") return super.authenticatorSelection(user, usage);
    return {
      authenticatorAttachment: "platform",
      residentKey: "required",
      userVerification: "required",
    };
  }

  /** Sign-in asks for user verification whenever a passkey may answer. */
  override userVerification(user: User | null, usages: Usage[]): UserVerificationRequirement {
    return usages.includes("first") ? "required" : super.userVerification(user, usages);
  }

  /** Key names keep letters, digits and spaces only, on top of the default clean-up. */
  override sanitizeName(value: string): string {
    return super.sanitizeName(value.replace(/[^\p{L}\p{N} ]/gu, ""));
  }
}

// Passed as a class; Keyward instantiates it once with the validated configuration:
//   const auth = await createKeyward({ ..., webauthnUtil: PlatformPasskeysUtil });
