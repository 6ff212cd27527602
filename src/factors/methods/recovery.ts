import type { SecondFactor } from "../second-factor.js";

/**
 * Recovery codes stand in for the other methods: they are offered only alongside one of them,
 * never count as a factor themselves, and are spent through /mf-recovery (factors/recovery.ts).
 */
export const recoveryFactor = {
  method: "recovery",
  ref: "recovery",
  amr: "rc",
  prompt: "code",
  enrolled: () => [],
  standsIn: ({ recoveryCodesLeft }) => recoveryCodesLeft > 0,
} as const satisfies SecondFactor;
