import type { SignInStage } from "./events.js";
import type { PublicUser } from "./types.js";

/**
 * The app's say in sign-in rules (option `policy` of createKeyward): what a refused sign-in
 * means for the account, and who owes a second factor. Every hook is optional; without one
 * Keyward behaves as its configuration says (no lock, `twoFactor.required`).
 */
export interface SignInPolicy {
  /**
   * Sees every refused sign-in attempt (each `user.login-failed` event, once it is recorded):
   * passwords, keys, codes, second factors and re-verification, rate-limited ones included.
   * Return `"lock"` (or `{ lock: { reason, until } }`) to lock the account the attempt was
   * for; nothing leaves it as it is. Awaited before the refusal is answered, so the lock holds
   * for the next attempt; a hook that throws is logged and changes nothing.
   */
  onSignInFailed?(
    attempt: RefusedSignIn,
  ): LockDecision | undefined | Promise<LockDecision | undefined>;
  /**
   * Whether this sign-in owes a second factor, decided per user and per sign-in (admins always;
   * a device never seen before). `true` asks for one even where `twoFactor.required` is off,
   * `false` waives it for this sign-in, `undefined` leaves it to the configuration and to
   * what the account has enrolled. A first factor that is multi-factor on its own (a `first`
   * key that verified the user) owes nothing whatever this says. When a second factor is owed
   * and the account has none, the sign-in waits for one to be enrolled, as with
   * `twoFactor.required`.
   */
  secondFactorRequired?(signIn: SignInContext): boolean | undefined | Promise<boolean | undefined>;
}

/** A refused sign-in attempt, as `policy.onSignInFailed` sees it (the event's fields). */
export interface RefusedSignIn {
  /** The account the attempt was for, when it named or proved one; null otherwise. */
  userId: string | null;
  /** What was tried: "password", "webauthn", or a second-factor method ("totp", "recovery"…). */
  method: string;
  stage: SignInStage;
  /** The refusal's error code in kebab case: "invalid-credentials", "rate-limited"… */
  reason: string;
  ip: string | null;
  userAgent: string | null;
  /** Epoch milliseconds. */
  at: number;
}

/** Lock the account: for good (until unlocked) or `until` a time; `reason` is recorded. */
export type LockDecision = "lock" | { lock: { reason?: string; until?: Date | number } };

/** A first factor passed; should a second one follow? (`policy.secondFactorRequired`). */
export interface SignInContext {
  user: PublicUser;
  /** How the first factor was proved (RFC 8176 amr: `pwd`, `hwk`, `swk`…). */
  amr: string[];
  /** Second-factor methods the account has enrolled that the configuration offers. */
  enrolled: string[];
  ip: string | null;
  userAgent: string | null;
}
