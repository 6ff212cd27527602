import type { KeywardContext } from "../context.js";
import type { FactorRef } from "../core/types.js";
import type { SecondFactorChange, SecondFactorSettings } from "../store/store.js";
import { type AdaptedAppFactor, type AppSecondFactor, adaptAppFactor } from "./app-factor.js";
import { emailFactor } from "./methods/email.js";
import { recoveryFactor } from "./methods/recovery.js";
import { smsFactor } from "./methods/sms.js";
import { totpFactor } from "./methods/totp.js";
import { webauthnFactor } from "./methods/webauthn.js";
import type { FactorSetup, SecondFactor } from "./second-factor.js";

/**
 * Every second-factor method Keyward knows, in the order pages list them. Adding a method is a
 * file in `factors/methods/` implementing SecondFactor, and its line here (plus its name in
 * `names.ts`, for `twoFactor.methods` to accept it): it then joins the API's method fields,
 * the offers at sign-in, the setup, the status and the policy.
 */
export const builtInFactors = [
  webauthnFactor,
  totpFactor,
  smsFactor,
  emailFactor,
  recoveryFactor,
] as const;

type BuiltIn = (typeof builtInFactors)[number];

/** A built-in method's name. */
export type BuiltInMethod = BuiltIn["method"];

/**
 * A second-factor method a user can complete: a built-in method's name, or the name of one
 * of the app's own factors (known only at run time: `ctx.factors`).
 */
export type SecondFactorMethod = string;

/** The built-in methods set up with /tf-setup (a code proves them first). */
export type SetupMethod = Extract<BuiltIn, { setup: unknown }>["method"];

export type { ListedMethod } from "./names.js";
export { listedMethods } from "./names.js";

/** The built-in names /tf-setup takes. */
export const setupMethods = builtInFactors
  .filter((factor: SecondFactor) => factor.setup !== undefined)
  .map((factor) => factor.method) as [SetupMethod, ...SetupMethod[]];

/** Whether `method` is a built-in method set up with /tf-setup (the pages' setup forms know these). */
export function isBuiltInSetupMethod(method: string): method is SetupMethod {
  return (setupMethods as readonly string[]).includes(method);
}

/** A method proved at /tf-validate (a typed code, or an approval). */
export type CodeFactor = SecondFactor & Required<Pick<SecondFactor, "verify" | "ref" | "amr">>;

/** A method set up with /tf-setup (a built-in one, or an app's that says how). */
export type SetupFactor = SecondFactor & { setup: FactorSetup };

export function isCodeFactor(factor: SecondFactor): factor is CodeFactor {
  return factor.verify !== undefined && factor.ref !== undefined && factor.amr !== undefined;
}

export function isSetupFactor(factor: SecondFactor): factor is SetupFactor {
  return factor.setup !== undefined;
}

/**
 * The second-factor methods of one instance: the built-in ones and the app's own
 * (`secondFactors`), in the order pages list them (the app's after the built-in codes,
 * recovery codes last). Everything that offers, accepts, describes or removes a method asks
 * this (`ctx.factors`), never a list of its own.
 */
export class FactorRegistry {
  /** Every method, in page order. */
  readonly all: readonly SecondFactor[];
  /** The app's own factors, adapted. */
  readonly apps: readonly AdaptedAppFactor[];
  // Built once per configuration (it is read-only once loaded).
  readonly #inPlay = new WeakMap<object, readonly SecondFactor[]>();

  constructor(apps: readonly AppSecondFactor[] = []) {
    this.apps = apps.map(adaptAppFactor);
    const standIns = builtInFactors.filter((f: SecondFactor) => f.standsIn !== undefined);
    const others = builtInFactors.filter((f: SecondFactor) => f.standsIn === undefined);
    this.all = [...others, ...this.apps, ...standIns];
  }

  /** The method named `method`; undefined for a name no method has. */
  byName(method: string): SecondFactor | undefined {
    return this.all.find((factor) => factor.method === method);
  }

  /** The names of the methods `keep` keeps, in page order. */
  names(keep: (factor: SecondFactor) => boolean = () => true): string[] {
    return this.all.filter(keep).map((factor) => factor.method);
  }

  /**
   * The methods in play under `config`: those `twoFactor.methods` names, and the stand-ins
   * (recovery codes), which are offered only alongside one of them.
   */
  inPlay(config: KeywardContext["config"]): readonly SecondFactor[] {
    let inPlay = this.#inPlay.get(config);
    if (!inPlay) {
      const listed: readonly string[] = config.twoFactor.methods;
      inPlay = this.all.filter(
        (factor) => factor.standsIn !== undefined || listed.includes(factor.method),
      );
      this.#inPlay.set(config, inPlay);
    }
    return inPlay;
  }

  /** What sessions earned with a second-factor method record, but for keys (each records its own). */
  refs(): FactorRef[] {
    return this.all.flatMap((factor) => (factor.ref ? [factor.ref] : []));
  }
}

/** The registry of an instance without app factors (the CLI, route declarations for docs). */
export const builtInRegistry = new FactorRegistry();

/**
 * The methods in play here: those `twoFactor.methods` names, and the stand-ins (recovery
 * codes), which are offered only alongside one of them.
 */
export function factorsInPlay(
  ctx: Pick<KeywardContext, "config" | "factors">,
): readonly SecondFactor[] {
  return ctx.factors.inPlay(ctx.config);
}

/**
 * The methods a user holds (whether or not the configuration still offers them) that a
 * removal takes away: the user's own `disable`, an admin's reset, a mailbox proving an
 * unconfirmed account. Keys and recovery codes are removed on their own; an app's factor is
 * removed by its `disable` (`disableAppFactors`, after the change commits).
 */
export function heldMethods(
  ctx: Pick<KeywardContext, "factors">,
  held: { settings: SecondFactorSettings | undefined; app: readonly string[] },
): SecondFactor[] {
  return ctx.factors.all.filter((factor) => {
    if (isAppFactor(factor)) {
      return factor.app.disable !== undefined && held.app.includes(factor.method);
    }
    return (
      isSetupFactor(factor) && held.settings !== undefined && factor.held?.(held.settings) === true
    );
  });
}

/** The settings change that removes `factors` (every built-in method's when not given). */
export function removalOf(factors: readonly SecondFactor[] = builtInFactors): SecondFactorChange {
  return Object.assign({}, ...factors.map((factor) => factor.disable ?? {}));
}

export function isAppFactor(factor: SecondFactor): factor is AdaptedAppFactor {
  return "app" in factor;
}

/** The app factors among `factors` the user holds, asked of the app (its storage). */
export async function appFactorsHeld(
  ctx: Pick<KeywardContext, "factors">,
  userId: string,
): Promise<string[]> {
  const held = await Promise.all(
    ctx.factors.apps.map(async (factor) =>
      (await factor.app.isEnrolled(userId)) ? factor.method : null,
    ),
  );
  return held.filter((name): name is string => name !== null);
}

/** Tells the app to remove the user's `factors` of its own (after Keyward's change committed). */
export async function disableAppFactors(
  factors: readonly SecondFactor[],
  userId: string,
): Promise<void> {
  for (const factor of factors) {
    if (isAppFactor(factor)) await factor.app.disable?.(userId);
  }
}
