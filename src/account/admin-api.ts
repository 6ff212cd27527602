import type { KeywardContext } from "../context.js";
import { ErrorCode, KeywardError } from "../core/errors.js";
import {
  type AccountLock,
  type AccountTokenPurpose,
  type PublicUser,
  toPublicUser,
  type User,
} from "../core/types.js";
import { type CredentialView, toCredentialView } from "../webauthn/view.js";
import {
  type AccessReset,
  activateAccount,
  createAccount,
  deactivateAccount,
  deleteUserKey,
  findAccount,
  listAccounts,
  listUserKeys,
  lockUser,
  resetAccess,
  resetSecondFactors,
  setAccountPassword,
  unlockUser,
} from "./admin.js";
import { accountMail, linkTo, sendAccountMail } from "./mails.js";
import { tokenLifetime } from "./tokens.js";

/** An account as administrators see it: no secrets. */
export interface AdminUser extends PublicUser {
  active: boolean;
}

/** Who made a change, as the event records it (`by`); default "api". */
export interface AdminActor {
  by?: string;
}

/**
 * `auth.api.admin`: what only administrators do, for an app's own admin pages and scripts.
 * Accounts are named by email, username or id; an unknown one throws USER_NOT_FOUND (404).
 * The same operations as the `keyward` CLI (account/admin.ts), with the same events.
 */
export interface AdminApi {
  findUser(ref: string): Promise<AdminUser | undefined>;
  /** Accounts in sign-up order, oldest first (default 50 at a time, at most 1000). */
  listUsers(page?: { limit?: number; offset?: number }): Promise<AdminUser[]>;
  listKeys(user: string): Promise<CredentialView[]>;
  /** As POST /register (same rules and event), signing nobody in; the address counts as confirmed. */
  createUser(input: { email: string; username?: string; password?: string }): Promise<AdminUser>;
  /** The account can no longer sign in; its sessions end. */
  deactivate(user: string, actor?: AdminActor): Promise<{ sessionsRevoked: number }>;
  activate(user: string, actor?: AdminActor): Promise<void>;
  /** Clears TOTP, SMS, email codes and recovery codes (keys stay); what they earned ends. */
  resetSecondFactors(
    user: string,
    actor?: AdminActor,
  ): Promise<{ methods: string[]; recoveryCodesDeleted: number; sessionsRevoked: number }>;
  /** Removes one key (WEBAUTHN_CREDENTIAL_NOT_FOUND if the user has none so named). */
  deleteKey(
    user: string,
    key: { id: string } | { name: string },
  ): Promise<{
    deleted: CredentialView;
    sessionsRevoked: number;
    /** The user has no password and no sign-in key left. */
    stranded: boolean;
    /** It was their only second factor: two-step verification is off. */
    twoFactorDisabled: boolean;
  }>;
  /**
   * Locks the account: every sign-in is refused until `unlock` or, with `forMs`, until then;
   * its sessions stay (deactivate to end them). See docs/security.md.
   */
  lock(user: string, input: { reason: string; forMs?: number } & AdminActor): Promise<AccountLock>;
  unlock(user: string, actor?: AdminActor): Promise<void>;
  /** Sets the password (length rules apply); every session ends. */
  setPassword(
    user: string,
    password: string,
    actor?: AdminActor,
  ): Promise<{ sessionsRevoked: number }>;
  /**
   * Removes every key, second factor, recovery code and the password, ends every session, and
   * mails the user one single-use link: a password reset if they had a password, otherwise
   * account recovery (add a new passkey).
   */
  resetAccess(
    user: string,
    actor?: AdminActor,
  ): Promise<Omit<AccessReset, "link"> & { linkSent: AccountTokenPurpose }>;
}

function adminUser(user: User): AdminUser {
  return { ...toPublicUser(user), active: user.active };
}

/** The admin API over the app's context: the app's mailer delivers access-reset links. */
export function adminApi(ctx: KeywardContext): AdminApi {
  const named = async (ref: string): Promise<User> => {
    const user = await findAccount(ctx, ref);
    if (!user) throw new KeywardError(ErrorCode.USER_NOT_FOUND);
    return user;
  };
  const by = (actor: AdminActor | undefined) => actor?.by ?? "api";
  return {
    findUser: async (ref) => {
      const user = await findAccount(ctx, ref);
      return user && adminUser(user);
    },
    listUsers: async (page = {}) => {
      const limit = Math.min(Math.max(1, wholeNumber(page.limit ?? 50, "limit")), 1000);
      const offset = Math.max(0, wholeNumber(page.offset ?? 0, "offset"));
      return (await listAccounts(ctx, { limit, offset })).map(adminUser);
    },
    listKeys: async (ref) =>
      (await listUserKeys(ctx, await named(ref))).map((key) =>
        toCredentialView(key, ctx.authenticatorNames),
      ),
    createUser: async (input) => adminUser(await createAccount(ctx, input)),
    deactivate: async (ref, actor) => ({
      sessionsRevoked: await deactivateAccount(ctx, await named(ref), by(actor)),
    }),
    activate: async (ref, actor) => activateAccount(ctx, await named(ref), by(actor)),
    resetSecondFactors: async (ref, actor) => resetSecondFactors(ctx, await named(ref), by(actor)),
    deleteKey: async (ref, key) => {
      const result = await deleteUserKey(ctx, await named(ref), key);
      if (!result) throw new KeywardError(ErrorCode.WEBAUTHN_CREDENTIAL_NOT_FOUND);
      return {
        deleted: toCredentialView(result.deleted, ctx.authenticatorNames),
        sessionsRevoked: result.sessionsRevoked,
        stranded: result.stranded,
        twoFactorDisabled: result.twoFactorDisabled,
      };
    },
    lock: async (ref, input) =>
      lockUser(ctx, await named(ref), {
        by: by(input),
        reason: input.reason,
        forMs: input.forMs,
      }),
    unlock: async (ref, actor) => unlockUser(ctx, await named(ref), by(actor)),
    setPassword: async (ref, password, actor) =>
      setAccountPassword(ctx, await named(ref), password, by(actor)),
    resetAccess: async (ref, actor) => {
      const user = await named(ref);
      const { link, ...reset } = await resetAccess(ctx, user, by(actor));
      await sendAccountMail(
        ctx,
        accountMail(ctx, "access-reset", user.email, {
          link: linkTo(ctx, `/${link.purpose}`, link.token),
          ttlMs: tokenLifetime(ctx, link.purpose),
          comeBackWith: link.purpose === "reset-password" ? "password" : "passkey",
        }),
      );
      return { ...reset, linkSent: link.purpose };
    },
  };
}

/** A page bound given as something other than a whole number is refused, not passed to SQL. */
function wholeNumber(value: number, field: string): number {
  if (!Number.isInteger(value)) {
    throw new KeywardError(ErrorCode.INVALID_INPUT, `${field}: a whole number`, { field });
  }
  return value;
}
