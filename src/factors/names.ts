/**
 * The names `twoFactor.methods` may list: the built-in methods but the stand-ins (recovery
 * codes). Kept apart from their implementations (factors/registry.ts) because the
 * configuration's type is read by every implementation; the registry fails to compile when
 * a name here has no implementation.
 */
export const listedMethods = ["webauthn", "totp", "sms", "email"] as const;

export type ListedMethod = (typeof listedMethods)[number];
