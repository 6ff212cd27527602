import type { KeywardContext } from "../context.js";
import { ErrorCode, KeywardError } from "../core/errors.js";
import { type Credential, USER_VERIFYING, type User } from "../core/types.js";
import type { SecondFactorSettings } from "../store/store.js";
import { maskEmail, maskPhone } from "./codes.js";
import { factorsOf, isPlatformBound, methodsOf } from "./methods.js";

// Which methods are in play is decided in methods.ts; these names stay importable from here.
export { factorsOf, isPlatformBound, methodsOf };

/** A second-factor method a user can complete. */
export type SecondFactorMethod = "webauthn" | "totp" | "sms" | "email" | "recovery";

/** The methods that take a typed code (and so can be set up with /tf-setup). */
export type CodeMethod = "totp" | "sms" | "email";

/**
 * The code methods these settings hold, whether or not the configuration offers them now
 * (what turning them off, or an administrator's reset, clears).
 */
export function enrolledCodeMethods(settings: SecondFactorSettings): CodeMethod[] {
  const methods: CodeMethod[] = [];
  if (settings.totpSecret !== null) methods.push("totp");
  if (settings.phone !== null) methods.push("sms");
  if (settings.emailEnabled) methods.push("email");
  return methods;
}

/** Everything that decides a user's second factors, read once. */
export interface Enrolment {
  userId: string;
  email: string;
  /** User.securityEpoch when this was read: remembered devices are bound to it. */
  securityEpoch: number;
  settings: SecondFactorSettings;
  /** The user's `secondary` WebAuthn keys. */
  keys: Credential[];
  /** Whether the user has a `first` key that has verified its user (it reaches AAL2 alone). */
  hasMultiFactorKey: boolean;
  recoveryCodesLeft: number;
}

/**
 * One usable second factor. Roaming factors work from any device (an authenticator app, a
 * phone number, a mailbox, a security key); a platform-bound key is lost with its device.
 */
export interface Factor {
  method: Exclude<SecondFactorMethod, "recovery">;
  /** The key's row id, for WebAuthn factors. */
  keyId?: string;
  roaming: boolean;
}

export interface Warning {
  code: "ONLY_PLATFORM_FACTOR" | "NO_RECOVERY_CODES";
  message: string;
}

export async function loadEnrolment(
  ctx: KeywardContext,
  user: Pick<User, "id" | "email" | "securityEpoch">,
): Promise<Enrolment> {
  const [settings, keys, recoveryCodesLeft] = await Promise.all([
    ctx.store.secondFactors.get(user.id),
    ctx.store.credentials.listForUser(user.id),
    ctx.store.recoveryCodes.countUnused(user.id),
  ]);
  if (!settings) throw new KeywardError(ErrorCode.UNAUTHENTICATED, "This account is gone.");
  return {
    userId: user.id,
    email: user.email,
    securityEpoch: user.securityEpoch,
    settings,
    keys: keys.filter((key) => key.usage === "secondary"),
    hasMultiFactorKey: keys.some(
      (key) => key.usage === "first" && key.flags.includes(USER_VERIFYING),
    ),
    recoveryCodesLeft,
  };
}

/** What the user should hear about their setup: the API and the pages show these. */
export function warningsFor(ctx: KeywardContext, enrolment: Enrolment): Warning[] {
  const factors = factorsOf(ctx, enrolment);
  const warnings: Warning[] = [];
  if (factors.length > 0 && factors.every((f) => f.method === "webauthn" && !f.roaming)) {
    warnings.push({
      code: "ONLY_PLATFORM_FACTOR",
      message:
        "Your only second factor is a key bound to one device. Add an authenticator app, a phone, or a security key, so losing that device does not lock you out.",
    });
  }
  if (factors.length > 0 && enrolment.recoveryCodesLeft === 0) {
    warnings.push({
      code: "NO_RECOVERY_CODES",
      message: "You have no recovery codes. Generate some and keep them somewhere safe.",
    });
  }
  return warnings;
}

/**
 * Refuses to remove the factors matched by `removing` when policy forbids it:
 * `twoFactor.required` keeps at least one factor; `twoFactor.requireRoamingFactor` keeps a
 * roaming one while any factor remains (so one lost device cannot lock the account out).
 */
export function assertRemovable(
  ctx: KeywardContext,
  enrolment: Enrolment,
  removing: (factor: Factor) => boolean,
): void {
  const factors = factorsOf(ctx, enrolment);
  const remaining = factors.filter((f) => !removing(f));
  if (ctx.config.twoFactor.required && factors.length > 0 && remaining.length === 0) {
    throw new KeywardError(
      ErrorCode.TWO_FACTOR_REQUIRED,
      "Every account here needs a second factor; add another before removing this one.",
    );
  }
  const losesRoaming =
    factors.some((f) => f.roaming && removing(f)) && !remaining.some((f) => f.roaming);
  if (ctx.config.twoFactor.requireRoamingFactor && remaining.length > 0 && losesRoaming) {
    throw new KeywardError(
      ErrorCode.ROAMING_FACTOR_REQUIRED,
      "This is your last second factor that works from any device; add another (an authenticator app, a phone or a security key) first.",
    );
  }
}

/** A user's second factors as they see them: no secrets, numbers and addresses masked. */
export interface TwoFactorStatus {
  enabled: boolean;
  methods: SecondFactorMethod[];
  primary: string | null;
  totp: boolean;
  sms: { phone: string } | null;
  email: { address: string } | null;
  keys: { id: string; name: string; roaming: boolean }[];
  recoveryCodesLeft: number;
  warnings: Warning[];
}

export function statusOf(ctx: KeywardContext, enrolment: Enrolment): TwoFactorStatus {
  const { settings } = enrolment;
  const methods = methodsOf(ctx, enrolment);
  return {
    enabled: methods.length > 0,
    methods,
    primary: settings.primaryMethod,
    totp: settings.totpSecret !== null,
    sms: settings.phone === null ? null : { phone: maskPhone(settings.phone) },
    email: settings.emailEnabled ? { address: maskEmail(enrolment.email) } : null,
    keys: enrolment.keys.map((key) => ({
      id: key.id,
      name: key.name,
      roaming: !isPlatformBound(key),
    })),
    recoveryCodesLeft: enrolment.recoveryCodesLeft,
    warnings: warningsFor(ctx, enrolment),
  };
}
