import type { KeywardContext } from "../context.js";
import type { Credential, Usage, User } from "../core/types.js";

/** How an account can sign in (its first factors), as the account page states it in words. */
export interface SignInMethods {
  password: boolean;
  /** `first` keys, when keys may sign in here (`webauthn.allowAsFirstFactor`). */
  passkeys: number;
}

/** What `user` with `keys` can sign in with; an account with neither is stranded. */
export function signInMethods(
  ctx: Pick<KeywardContext, "config">,
  user: Pick<User, "passwordHash">,
  keys: readonly Pick<Credential, "usage">[],
): SignInMethods {
  const passkeys = ctx.config.webauthn.allowAsFirstFactor
    ? keys.filter((key) => key.usage === "first").length
    : 0;
  return { password: user.passwordHash !== null, passkeys };
}

/**
 * Whether the account signs in with nothing but one passkey that is not backed up (bound to
 * its device, or not synced now): losing that device would leave the user only account
 * recovery. The account page warns.
 */
export function onlySignInIsUnbackedKey(
  methods: SignInMethods,
  keys: readonly { usage: Usage; synced: boolean }[],
): boolean {
  if (methods.password || methods.passkeys !== 1) return false;
  return keys.some((key) => key.usage === "first" && !key.synced);
}

export function canSignIn(methods: SignInMethods): boolean {
  return methods.password || methods.passkeys > 0;
}

/** How `user` can sign in now, read from the store. */
export async function signInMethodsOf(
  ctx: KeywardContext,
  user: Pick<User, "id" | "passwordHash">,
): Promise<SignInMethods> {
  return signInMethods(ctx, user, await ctx.store.credentials.listForUser(user.id));
}
