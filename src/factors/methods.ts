import type { KeywardContext } from "../context.js";
import { ErrorCode, KeywardError } from "../core/errors.js";
import type { FactorRef, Usage } from "../core/types.js";
import { isPlatformBound } from "./methods/webauthn.js";
import { factorsInPlay, isSetupFactor, type SecondFactorMethod } from "./registry.js";
import type { Enrolment, Factor, SecondFactor } from "./second-factor.js";

export { isPlatformBound };

/**
 * Which second-factor methods are in play: `twoFactor.methods` intersected with what an
 * account enrolled. Everything that offers or accepts a method asks here, so an account keeps
 * what it enrolled while the list allowed it, yet a method the list no longer names is
 * neither offered nor accepted anywhere (issue #15). The methods themselves are in
 * `factors/registry.ts`.
 */

/**
 * Whether `twoFactor.methods` names `method`. Recovery codes are not in that list: they stand
 * in for the methods it names, and are offered only alongside one of them (see methodsOf).
 */
export function isConfigured(
  ctx: Pick<KeywardContext, "config" | "factors">,
  method: string,
): boolean {
  return factorsInPlay(ctx).some((factor) => factor.method === method);
}

/**
 * The method named `method` when the configuration offers it; otherwise refuses
 * (TWO_FACTOR_METHOD_NOT_AVAILABLE), as it does a name no method has.
 */
export function requireConfigured(ctx: KeywardContext, method: string): SecondFactor {
  const factor = isConfigured(ctx, method) ? ctx.factors.byName(method) : undefined;
  if (!factor) {
    throw new KeywardError(
      ErrorCode.TWO_FACTOR_METHOD_NOT_AVAILABLE,
      `"${method}" is not offered here.`,
      { methods: ctx.config.twoFactor.methods },
    );
  }
  return factor;
}

/**
 * Whether a key of `usage` could ever be used here: `first` keys sign in when
 * `webauthn.allowAsFirstFactor`; `secondary` keys only ever serve as a second factor.
 */
export function isKeyUsageEnabled(ctx: KeywardContext, usage: Usage): boolean {
  return usage === "first" ? ctx.config.webauthn.allowAsFirstFactor : isConfigured(ctx, "webauthn");
}

/**
 * The methods an account that must enrol before its sign-in completes (`twoFactor.required`)
 * may set up with /tf-setup, in the registry's order: those the configuration offers, but not
 * the one that proved the first factor (`firstFactor`: the same mailbox twice is one factor).
 * The enrolment page offers these and /tf-setup with a pending state accepts only these.
 */
export function enrolmentMethods(
  ctx: Pick<KeywardContext, "config" | "factors">,
  firstFactor: FactorRef | null,
): string[] {
  return factorsInPlay(ctx)
    .filter(isSetupFactor)
    .filter((factor) => firstFactor === null || factor.ref !== firstFactor)
    .map((factor) => factor.method);
}

/** The second factors the user has enrolled and the configuration offers. */
export function factorsOf(
  ctx: Pick<KeywardContext, "config" | "factors">,
  enrolment: Pick<Enrolment, "settings" | "keys" | "app">,
): Factor[] {
  return factorsInPlay(ctx).flatMap((factor) => factor.enrolled(enrolment));
}

/**
 * The methods offered at sign-in: the user's primary method first, then the others in the
 * registry's order; the stand-ins (recovery codes) last, and only while another factor exists.
 * A method that already proved the first factor (`firstFactor`: an email or SMS code at
 * /code-signin-validate) is not offered again: the same mailbox twice is one factor.
 */
export function methodsOf(
  ctx: KeywardContext,
  enrolment: Enrolment,
  firstFactor: FactorRef | null = null,
): SecondFactorMethod[] {
  const second = (f: Factor) =>
    firstFactor === null || ctx.factors.byName(f.method)?.ref !== firstFactor;
  const methods = [
    ...new Set(
      factorsOf(ctx, enrolment)
        .filter(second)
        .map((f) => f.method),
    ),
  ];
  const primary = methods.find((m) => m === enrolment.settings.primaryMethod);
  const ordered = primary ? [primary, ...methods.filter((m) => m !== primary)] : methods;
  if (ordered.length === 0) return ordered;
  for (const factor of factorsInPlay(ctx)) {
    if (factor.standsIn?.(enrolment)) ordered.push(factor.method);
  }
  return ordered;
}

/**
 * Refuses a method this account cannot complete here: one it has not enrolled, or one the
 * configuration does not offer (TWO_FACTOR_METHOD_NOT_AVAILABLE); with none at all, the
 * account must enrol first (TWO_FACTOR_NOT_ENROLLED). Returns the method.
 */
export function requireOffered(
  ctx: KeywardContext,
  enrolment: Enrolment,
  method: SecondFactorMethod,
  firstFactor: FactorRef | null = null,
): SecondFactor {
  const methods = methodsOf(ctx, enrolment, firstFactor);
  if (methods.length === 0) {
    throw new KeywardError(
      ErrorCode.TWO_FACTOR_NOT_ENROLLED,
      "This account must set up a second factor first: POST /tf-setup with this state.",
    );
  }
  const factor = methods.includes(method) ? ctx.factors.byName(method) : undefined;
  if (!factor) {
    throw new KeywardError(
      ErrorCode.TWO_FACTOR_METHOD_NOT_AVAILABLE,
      `"${method}" is not one of this account's second factors.`,
      { methods },
    );
  }
  return factor;
}
