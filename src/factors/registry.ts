import type { KeywardContext } from "../context.js";
import type { FactorRef } from "../core/types.js";
import type { SecondFactorChange, SecondFactorSettings } from "../store/store.js";
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

/** A second-factor method a user can complete. */
export type SecondFactorMethod = BuiltIn["method"];

/** The methods proved with a typed code at /tf-validate. */
export type CodeMethod = Extract<BuiltIn, { verify: unknown }>["method"];

/** The methods set up with /tf-setup (a code proves them first). */
export type SetupMethod = Extract<BuiltIn, { setup: unknown }>["method"];

/** The methods proved by typing a code on the code page (an app's, one sent, a recovery code). */
export type TypedMethod = Extract<BuiltIn, { prompt: "code" | "send" }>["method"];

/** A method `twoFactor.methods` could name: one registered here that is not a stand-in. */
type Listable = Exclude<SecondFactorMethod, Extract<BuiltIn, { standsIn: unknown }>["method"]>;

export type { ListedMethod } from "./names.js";
export { listedMethods } from "./names.js";

const names = <M extends SecondFactorMethod>(keep: (factor: SecondFactor) => boolean) =>
  builtInFactors.filter(keep).map((factor) => factor.method) as [M, ...M[]];

/** Every method's name, in the registry's order. */
export const secondFactorMethods = names<SecondFactorMethod>(() => true);
/** The names /tf-validate takes. */
export const codeMethods = names<CodeMethod>((factor) => factor.verify !== undefined);
/** The names the code page takes, the first its default. */
export const typedMethods = names<TypedMethod>((factor) => factor.prompt !== "key");
/** The names /tf-setup takes. */
export const setupMethods = names<SetupMethod>((factor) => factor.setup !== undefined);

/** A method proved with a typed code at /tf-validate. */
export type CodeFactor = SecondFactor &
  Required<Pick<SecondFactor, "verify" | "ref" | "amr">> & { method: CodeMethod };

/** A method set up with /tf-setup. */
export type SetupFactor = SecondFactor & { method: SetupMethod; setup: FactorSetup };

export function isCodeFactor(factor: SecondFactor): factor is CodeFactor {
  return factor.verify !== undefined && factor.ref !== undefined && factor.amr !== undefined;
}

export function isSetupFactor(factor: SecondFactor): factor is SetupFactor {
  return factor.setup !== undefined;
}

/** The method named `method`; undefined for a name no method has. */
export function secondFactor(method: string): SecondFactor | undefined {
  return builtInFactors.find((factor) => factor.method === method);
}

// Built once per configuration (it is read-only once loaded).
const built = new WeakMap<object, readonly SecondFactor[]>();

/**
 * The methods in play here: those `twoFactor.methods` names, and the stand-ins (recovery
 * codes), which are offered only alongside one of them.
 */
export function factorsInPlay(ctx: Pick<KeywardContext, "config">): readonly SecondFactor[] {
  let inPlay = built.get(ctx.config);
  if (!inPlay) {
    // Typed so that a name the configuration accepts without a method here fails to compile.
    const listed: readonly Listable[] = ctx.config.twoFactor.methods;
    inPlay = builtInFactors.filter(
      (factor: SecondFactor) =>
        factor.standsIn !== undefined || (listed as readonly string[]).includes(factor.method),
    );
    built.set(ctx.config, inPlay);
  }
  return inPlay;
}

/**
 * The methods a user's settings hold (whether or not the configuration still offers them)
 * that a settings change removes: the user's own `disable`, an admin's reset, a mailbox
 * proving an unconfirmed account. Keys and recovery codes are removed on their own.
 */
export function heldMethods(settings: SecondFactorSettings | undefined): SetupFactor[] {
  const all: readonly SecondFactor[] = builtInFactors;
  return all
    .filter(isSetupFactor)
    .filter((factor) => settings !== undefined && factor.held?.(settings) === true);
}

/** The settings change that removes `factors` (all of them when not given). */
export function removalOf(factors: readonly SecondFactor[] = builtInFactors): SecondFactorChange {
  return Object.assign({}, ...factors.map((factor) => factor.disable ?? {}));
}

/** What sessions earned with a second-factor method record, but for keys (each records its own). */
export function secondFactorRefs(): FactorRef[] {
  return builtInFactors.flatMap((factor: SecondFactor) => (factor.ref ? [factor.ref] : []));
}
