import type { KeywardContext } from "../context.js";
import { ErrorCode, KeywardError } from "../core/errors.js";
import { USER_VERIFYING, type User } from "../core/types.js";
import { factorsOf, isPlatformBound, methodsOf } from "./methods.js";
import { appFactorsHeld, type SecondFactorMethod } from "./registry.js";
import type { Enrolment, Factor, FactorStatus, SecondFactor } from "./second-factor.js";

export type { SecondFactorMethod, SetupMethod } from "./registry.js";
export type { Enrolment, Factor } from "./second-factor.js";
// Which methods are in play is decided in methods.ts; these names stay importable from here.
export { factorsOf, isPlatformBound, methodsOf };

export interface Warning {
  code: "ONLY_PLATFORM_FACTOR" | "NO_RECOVERY_CODES";
  message: string;
}

export async function loadEnrolment(
  ctx: KeywardContext,
  user: Pick<User, "id" | "email" | "securityEpoch">,
): Promise<Enrolment> {
  const [settings, keys, recoveryCodesLeft, app] = await Promise.all([
    ctx.store.secondFactors.get(user.id),
    ctx.store.credentials.listForUser(user.id),
    ctx.store.recoveryCodes.countUnused(user.id),
    appFactorsHeld(ctx, user.id),
  ]);
  if (!settings) throw new KeywardError(ErrorCode.UNAUTHENTICATED);
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
    app,
  };
}

/** What the user should hear about their setup: the API and the pages show these. */
export function warningsFor(ctx: KeywardContext, enrolment: Enrolment, locale?: string): Warning[] {
  const { t } = ctx.languages.get(locale);
  const factors = factorsOf(ctx, enrolment);
  const warnings: Warning[] = [];
  if (factors.length > 0 && factors.every((f) => !f.roaming)) {
    warnings.push({
      code: "ONLY_PLATFORM_FACTOR",
      message: t("warning.ONLY_PLATFORM_FACTOR"),
    });
  }
  if (factors.length > 0 && enrolment.recoveryCodesLeft === 0) {
    warnings.push({
      code: "NO_RECOVERY_CODES",
      message: t("warning.NO_RECOVERY_CODES"),
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
    throw new KeywardError(ErrorCode.TWO_FACTOR_REQUIRED);
  }
  const losesRoaming =
    factors.some((f) => f.roaming && removing(f)) && !remaining.some((f) => f.roaming);
  if (ctx.config.twoFactor.requireRoamingFactor && remaining.length > 0 && losesRoaming) {
    throw new KeywardError(ErrorCode.ROAMING_FACTOR_REQUIRED);
  }
}

/** A user's second factors as they see them: no secrets, numbers and addresses masked. */
export type TwoFactorStatus = {
  enabled: boolean;
  methods: SecondFactorMethod[];
  primary: string | null;
} & Required<FactorStatus> & {
    recoveryCodesLeft: number;
    warnings: Warning[];
  };

/**
 * Each method describes its part (whether or not the configuration still offers it); the
 * warnings are in `locale` (the request's language; default: the default language).
 */
export function statusOf(
  ctx: KeywardContext,
  enrolment: Enrolment,
  locale?: string,
): TwoFactorStatus {
  const methods = methodsOf(ctx, enrolment);
  const parts = ctx.factors.all.map((factor: SecondFactor) => factor.describe?.(enrolment));
  const app = ctx.factors.apps
    .filter((factor) => enrolment.app.includes(factor.method))
    .map((factor) => ({ method: factor.method, label: factor.app.label }));
  return {
    enabled: methods.length > 0,
    methods,
    primary: enrolment.settings.primaryMethod,
    ...Object.assign({}, ...parts),
    app,
    recoveryCodesLeft: enrolment.recoveryCodesLeft,
    warnings: warningsFor(ctx, enrolment, locale),
  };
}
