import type { KeywardContext } from "../context.js";
import { ErrorCode, KeywardError } from "../core/errors.js";
import type { Credential, Usage } from "../core/types.js";
import type { Enrolment, Factor, SecondFactorMethod } from "./enrolment.js";

/**
 * Which second-factor methods are in play: `twoFactor.methods` intersected with what an
 * account enrolled. Everything that offers or accepts a method asks here, so an account keeps
 * what it enrolled while the list allowed it, yet a method the list no longer names is
 * neither offered nor accepted anywhere (issue #15).
 */

/**
 * Whether `twoFactor.methods` names `method`. Recovery codes are not in that list: they stand
 * in for the methods it names, and are offered only alongside one of them (see methodsOf).
 */
export function isConfigured(
  ctx: Pick<KeywardContext, "config">,
  method: SecondFactorMethod,
): boolean {
  return method === "recovery" || (ctx.config.twoFactor.methods as string[]).includes(method);
}

/** Refuses to set up a method the configuration does not offer. */
export function requireConfigured(ctx: KeywardContext, method: SecondFactorMethod): void {
  if (!isConfigured(ctx, method)) {
    throw new KeywardError(
      ErrorCode.TWO_FACTOR_METHOD_NOT_AVAILABLE,
      `"${method}" is not offered here.`,
      { methods: ctx.config.twoFactor.methods },
    );
  }
}

/**
 * Whether a key of `usage` could ever be used here: `first` keys sign in when
 * `webauthn.allowAsFirstFactor`; `secondary` keys only ever serve as a second factor.
 */
export function isKeyUsageEnabled(ctx: KeywardContext, usage: Usage): boolean {
  return usage === "first" ? ctx.config.webauthn.allowAsFirstFactor : isConfigured(ctx, "webauthn");
}

/**
 * A key is platform-bound when it only ever reported the "internal" transport. A key with
 * no transports is unknown; it is not called platform-bound, so the policy never blocks on a guess.
 */
export function isPlatformBound(key: Credential): boolean {
  return key.transports.length > 0 && key.transports.every((t) => t === "internal");
}

/** The second factors the user has enrolled and the configuration offers. */
export function factorsOf(
  ctx: Pick<KeywardContext, "config">,
  enrolment: Pick<Enrolment, "settings" | "keys">,
): Factor[] {
  const { settings } = enrolment;
  const factors: Factor[] = [];
  if (isConfigured(ctx, "webauthn")) {
    for (const key of enrolment.keys) {
      factors.push({ method: "webauthn", keyId: key.id, roaming: !isPlatformBound(key) });
    }
  }
  if (isConfigured(ctx, "totp") && settings.totpSecret !== null) {
    factors.push({ method: "totp", roaming: true });
  }
  if (isConfigured(ctx, "sms") && settings.phone !== null) {
    factors.push({ method: "sms", roaming: true });
  }
  if (isConfigured(ctx, "email") && settings.emailEnabled) {
    factors.push({ method: "email", roaming: true });
  }
  return factors;
}

/**
 * The methods offered at sign-in: the user's primary method first, then the others in a
 * fixed order; recovery codes last, and only while another factor exists.
 */
export function methodsOf(ctx: KeywardContext, enrolment: Enrolment): SecondFactorMethod[] {
  const methods = [...new Set(factorsOf(ctx, enrolment).map((f) => f.method))];
  const primary = enrolment.settings.primaryMethod;
  const ordered: SecondFactorMethod[] = methods.includes(primary as Factor["method"])
    ? [primary as Factor["method"], ...methods.filter((m) => m !== primary)]
    : methods;
  if (ordered.length > 0 && enrolment.recoveryCodesLeft > 0) ordered.push("recovery");
  return ordered;
}

/**
 * Refuses a method this account cannot complete here: one it has not enrolled, or one the
 * configuration does not offer (TWO_FACTOR_METHOD_NOT_AVAILABLE); with none at all, the
 * account must enrol first (TWO_FACTOR_NOT_ENROLLED).
 */
export function requireOffered(
  ctx: KeywardContext,
  enrolment: Enrolment,
  method: SecondFactorMethod,
): void {
  const methods = methodsOf(ctx, enrolment);
  if (methods.length === 0) {
    throw new KeywardError(
      ErrorCode.TWO_FACTOR_NOT_ENROLLED,
      "This account must set up a second factor first: POST /tf-setup with this state.",
    );
  }
  if (!methods.includes(method)) {
    throw new KeywardError(
      ErrorCode.TWO_FACTOR_METHOD_NOT_AVAILABLE,
      `"${method}" is not one of this account's second factors.`,
      { methods },
    );
  }
}
