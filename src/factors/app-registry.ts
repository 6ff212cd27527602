import type { KeywardConfig, KeywardConfigInput } from "../config/schema.js";
import { ConfigError } from "../core/errors.js";
import { type AppSecondFactor, checkAppFactors } from "./app-factor.js";
import { listedMethods } from "./names.js";
import { FactorRegistry } from "./registry.js";

/**
 * An instance's second factors from the app's `secondFactors`, refused at start (a
 * ConfigError) when a name is malformed, a built-in method's, or given twice.
 */
export function registryFor(secondFactors: readonly AppSecondFactor[]): FactorRegistry {
  const problems = checkAppFactors(secondFactors);
  if (problems.length > 0) {
    throw new ConfigError(problems.map((reason) => ({ key: "secondFactors", reason })));
  }
  return new FactorRegistry(secondFactors);
}

/**
 * The configuration with the app's factors in `twoFactor.methods`' default: registering a
 * factor offers it, unless the app lists the methods itself (KEYWARD_TWO_FACTOR_METHODS
 * still overrides either).
 */
export function withAppFactors(
  input: KeywardConfigInput,
  secondFactors: readonly AppSecondFactor[],
): KeywardConfigInput {
  if (secondFactors.length === 0 || input.twoFactor?.methods !== undefined) return input;
  return {
    ...input,
    twoFactor: {
      ...input.twoFactor,
      methods: [...listedMethods, ...secondFactors.map((factor) => factor.name)],
    },
  };
}

/** Refuses a `twoFactor.methods` entry that names no method here (a typo, a factor not given). */
export function checkListedMethods(config: KeywardConfig, factors: FactorRegistry): void {
  const listable = new Set(factors.names((factor) => factor.standsIn === undefined));
  const unknown = config.twoFactor.methods.filter((method) => !listable.has(method));
  if (unknown.length > 0) {
    throw new ConfigError(
      unknown.map((method) => ({
        key: "twoFactor.methods",
        reason: `"${method}" is neither a built-in method (${[...listedMethods].join(", ")}) nor one of secondFactors`,
      })),
    );
  }
}
