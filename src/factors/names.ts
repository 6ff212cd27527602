/**
 * The names `twoFactor.methods` may list: the built-in methods but the stand-ins (recovery
 * codes). Kept apart from their implementations (factors/registry.ts) because the
 * configuration's type is read by every implementation; the registry fails to compile when
 * a name here has no implementation.
 */
export const listedMethods = ["webauthn", "totp", "sms", "email"] as const;

export type ListedMethod = (typeof listedMethods)[number];

/** Every built-in method's name, recovery codes included. */
const builtInMethodNames = [...listedMethods, "recovery"] as const;

/** Whether `method` is a built-in method (and not one of the app's own factors). */
export function isBuiltInMethod(method: string): method is (typeof builtInMethodNames)[number] {
  return (builtInMethodNames as readonly string[]).includes(method);
}
