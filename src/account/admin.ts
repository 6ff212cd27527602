import type { KeywardContext } from "../context.js";
import { ErrorCode, KeywardError } from "../core/errors.js";
import type { AccountLock, AccountTokenPurpose, Credential, User } from "../core/types.js";
import { hashPassword } from "../factors/password.js";
import { appFactorsHeld, disableAppFactors, heldMethods, removalOf } from "../factors/registry.js";
import { removeKey } from "../webauthn/manage.js";
import { isEmail, normaliseEmail, normaliseUsername } from "./identity.js";
import { lockAccount, unlockAccount } from "./lock.js";
import { assertPasswordRules } from "./password-rules.js";
import { accountTaken, newUserHandle } from "./register.js";
import { setPassword } from "./set-password.js";
import { issueAccountToken } from "./tokens.js";

/**
 * What only administrators do (`keyward users …`, `keyward two-factor reset`, `keyward keys
 * delete`): the same rules and the same events as the user's own routes, with `by` naming the
 * administrator in the event. The CLI parses arguments and prints; the changes are made here.
 */

/** What the admin operations need: no HTTP, no WebAuthn policy, no mail. */
export type AdminContext = Pick<
  KeywardContext,
  "config" | "store" | "clock" | "transaction" | "factors"
>;

/** The account an administrator names: an email, a username or a user id. */
export async function findAccount(ctx: AdminContext, ref: string): Promise<User | undefined> {
  const { users } = ctx.store;
  return isEmail(ref)
    ? users.byEmail(normaliseEmail(ref))
    : ((await users.byId(ref)) ?? (await users.byUsername(normaliseUsername(ref))));
}

/** Accounts in the order they signed up (oldest first), a page at a time. */
export function listAccounts(
  ctx: AdminContext,
  page: { limit: number; offset: number },
): Promise<User[]> {
  return ctx.store.users.list(page);
}

/** The user's keys, of both usages. */
export function listUserKeys(ctx: AdminContext, user: User): Promise<Credential[]> {
  return ctx.store.credentials.listForUser(user.id);
}

/**
 * Creates an account as POST /register would (same password policy, same event), but signs
 * nobody in; an administrator vouches for the address, so no confirmation is pending.
 */
export async function createAccount(
  ctx: AdminContext,
  input: {
    email: string;
    username?: string | undefined;
    password?: string | undefined;
    /**
     * The WebAuthn user handle (base64url, 1 to 64 bytes) the user's keys already hold, for an
     * account moved from another system; default: 64 new random bytes.
     */
    webauthnUserHandle?: string | undefined;
  },
): Promise<User> {
  const { accounts } = ctx.config;
  const { password } = input;
  if (password === undefined && !accounts.allowPasswordless) {
    throw new KeywardError(
      ErrorCode.PASSWORD_REQUIRED,
      "Passwordless accounts are not allowed here (accounts.allowPasswordless).",
    );
  }
  if (password !== undefined) assertPasswordRules(ctx, password);
  const handle = input.webauthnUserHandle;
  if (handle !== undefined) {
    const bytes = /^[A-Za-z0-9_-]+$/.test(handle) ? Buffer.from(handle, "base64url").length : 0;
    if (bytes < 1 || bytes > 64) {
      throw new KeywardError(
        ErrorCode.INVALID_INPUT,
        "The user handle must be 1 to 64 bytes in unpadded base64url.",
      );
    }
    if (await ctx.store.users.byWebauthnUserHandle(handle)) {
      throw new KeywardError(ErrorCode.INVALID_INPUT, "Another account has this user handle.");
    }
  }
  // Hash before opening the transaction: hashing is slow and must not hold a connection.
  const passwordHash = password === undefined ? null : await hashPassword(password);
  try {
    return await ctx.transaction(async (tx) => {
      const created = await tx.users.create({
        email: normaliseEmail(input.email),
        username: input.username === undefined ? null : normaliseUsername(input.username),
        passwordHash,
        webauthnUserHandle: handle ?? newUserHandle(),
        emailConfirmedAt: ctx.clock.now(),
      });
      await tx.record(
        "user.registered",
        { userId: created.id, ip: null },
        { email: created.email, passwordless: passwordHash === null },
      );
      return created;
    });
  } catch (error) {
    throw accountTaken(error);
  }
}

/**
 * Disables the account: it can no longer sign in, and its sessions end at once, remembered
 * devices and waiting sign-ins with them. Returns how many sessions ended.
 */
export async function deactivateAccount(
  ctx: AdminContext,
  user: User,
  by: string,
): Promise<number> {
  return ctx.transaction(async (tx) => {
    await tx.users.setActive(user.id, false);
    const sessionsRevoked = await tx.sessions.deleteForUser(user.id);
    // Activated again later, it must not skip a second factor on a browser remembered now.
    await tx.users.advanceSecurityEpoch(user.id);
    await tx.record("user.deactivated", { userId: user.id, ip: null }, { by, sessionsRevoked });
    return sessionsRevoked;
  });
}

/** Enables a disabled account again. */
export async function activateAccount(ctx: AdminContext, user: User, by: string): Promise<void> {
  await ctx.transaction(async (tx) => {
    await tx.users.setActive(user.id, true);
    await tx.record("user.activated", { userId: user.id, ip: null }, { by });
  });
}

/** The longest lock with an end; a longer one is a lock without `forMs`. */
const LOCK_MAX_MS = 100 * 365 * 86_400_000;

/**
 * Locks the account: every sign-in is refused (ACCOUNT_LOCKED; at /login, like a wrong
 * password) until `unlockUser` or, with `forMs`, until that time has passed. Its sessions stay
 * (deactivate the account to end them). Records "account.locked".
 */
export function lockUser(
  ctx: AdminContext,
  user: User,
  input: { by: string; reason: string; forMs?: number | undefined },
): Promise<AccountLock> {
  const { forMs } = input;
  // A lock that ends before it starts, or past any date, is a caller's mistake.
  if (forMs !== undefined && !(Number.isInteger(forMs) && forMs > 0 && forMs <= LOCK_MAX_MS)) {
    throw new KeywardError(
      ErrorCode.INVALID_INPUT,
      `forMs: a whole number of milliseconds from 1 to ${LOCK_MAX_MS} (100 years)`,
      { field: "forMs" },
    );
  }
  const until = forMs === undefined ? null : ctx.clock.now() + forMs;
  return lockAccount(ctx, user, { by: input.by, reason: input.reason, until });
}

/** Lifts the account's lock. Records "account.unlocked". */
export function unlockUser(ctx: AdminContext, user: User, by: string): Promise<void> {
  return unlockAccount(ctx, user, by);
}

/**
 * For a user locked out of their second factor: clears TOTP, SMS, email codes, the preferred
 * method and recovery codes, and forgets remembered devices; keys stay. The sessions those
 * factors (or a remembered device) earned end. The app's own factors the user holds are
 * removed by their `disable`, once this change has committed.
 */
export async function resetSecondFactors(
  ctx: AdminContext,
  user: User,
  by: string,
): Promise<{ methods: string[]; recoveryCodesDeleted: number; sessionsRevoked: number }> {
  // Asked before the transaction: the app's storage is no part of it.
  const app = await appFactorsHeld(ctx, user.id);
  let removed: ReturnType<typeof heldMethods> = [];
  const result = await ctx.transaction(async (tx) => {
    const settings = await tx.secondFactors.get(user.id);
    removed = heldMethods(ctx, { settings, app });
    const methods: string[] = removed.map((factor) => factor.method);
    // change() also bumps the settings revision, which revokes remembered devices.
    await tx.secondFactors.change(user.id, { ...removalOf(), primaryMethod: null });
    const recoveryCodesDeleted = await tx.recoveryCodes.deleteForUser(user.id);
    // What those factors earned ends with them; so do remembered devices, which stood in
    // for them. Sessions earned by keys stay, as the keys do.
    const sessionsRevoked = await tx.sessions.deleteEarnedBy(user.id, [
      ...ctx.factors.refs(),
      "remembered",
    ]);
    const result = { methods, recoveryCodesDeleted, sessionsRevoked };
    await tx.record("two-factor.reset", { userId: user.id, ip: null }, { by, ...result });
    return result;
  });
  await disableAppFactors(removed, user.id);
  return result;
}

/**
 * Deletes one of the user's keys, by id or by name (as listed), as POST /wan-delete does
 * (webauthn/manage.ts removeKey): the sessions it earned end with it. Undefined when the user
 * has no such key. `stranded`: the user has no password and no sign-in key left;
 * `twoFactorDisabled`: the key was their only second factor, so two-step verification is off.
 */
export async function deleteUserKey(
  ctx: AdminContext,
  user: User,
  ref: { id: string } | { name: string },
): Promise<
  | {
      deleted: Credential;
      remaining: Credential[];
      sessionsRevoked: number;
      stranded: boolean;
      twoFactorDisabled: boolean;
    }
  | undefined
> {
  const keys = await listUserKeys(ctx, user);
  const key = keys.find((k) => ("id" in ref ? k.id === ref.id : k.name === ref.name));
  if (!key) return undefined;
  const removed = await removeKey(ctx, key, null);
  const remaining = keys.filter((k) => k.id !== key.id);
  return {
    deleted: key,
    remaining,
    sessionsRevoked: removed.sessionsRevoked,
    stranded: removed.leftWithoutSignIn,
    twoFactorDisabled: removed.twoFactorDisabled,
  };
}

/** The user's `secondary` keys: a two-factor reset leaves them, so sign-in still asks for one. */
export async function secondaryKeyCount(ctx: AdminContext, user: User): Promise<number> {
  const keys = await listUserKeys(ctx, user);
  return keys.filter((k) => k.usage === "secondary").length;
}

/**
 * Sets the user's password (same length rules as the user's own change). Every session ends
 * and remembered devices are forgotten: whoever knew the old password keeps nothing it earned.
 */
export async function setAccountPassword(
  ctx: AdminContext,
  user: User,
  password: string,
  by: string,
): Promise<{ sessionsRevoked: number }> {
  assertPasswordRules(ctx, password);
  // Hash before opening the transaction: hashing is slow and must not hold a connection.
  const passwordHash = await hashPassword(password);
  return ctx.transaction(async (tx) => {
    await setPassword(tx, user.id, passwordHash);
    const sessionsRevoked = await tx.sessions.deleteForUser(user.id);
    await tx.users.advanceSecurityEpoch(user.id);
    await tx.record("account.password-set", { userId: user.id, ip: null }, { by, sessionsRevoked });
    return { sessionsRevoked };
  });
}

/** What a reset of a user's access removed, and the single-use link that lets them back in. */
export interface AccessReset {
  keysRemoved: number;
  /** The second-factor methods that were on. */
  methods: string[];
  recoveryCodesDeleted: number;
  sessionsRevoked: number;
  passwordRemoved: boolean;
  /**
   * The way back in: a password reset for an account that had a password, otherwise account
   * recovery (a limited session that registers a new key). The token is for the user only.
   */
  link: { purpose: AccountTokenPurpose; token: string; expiresAt: number };
}

/**
 * For an account that is compromised or whose owner lost everything: every key, second
 * factor, recovery code and the password go, every session ends, remembered devices and
 * earlier links stop working, and one new single-use link is issued to the account's address,
 * all in one unit of work. The caller delivers the link (the API mails it; the CLI prints it).
 */
export async function resetAccess(ctx: AdminContext, user: User, by: string): Promise<AccessReset> {
  const app = await appFactorsHeld(ctx, user.id);
  let removed: ReturnType<typeof heldMethods> = [];
  const reset = await ctx.transaction(async (tx) => {
    const current = (await tx.users.byId(user.id)) ?? user;
    removed = heldMethods(ctx, { settings: await tx.secondFactors.get(user.id), app });
    const methods: string[] = removed.map((factor) => factor.method);
    const keysRemoved = await tx.credentials.deleteForUser(user.id);
    await tx.secondFactors.change(user.id, { ...removalOf(), primaryMethod: null });
    const recoveryCodesDeleted = await tx.recoveryCodes.deleteForUser(user.id);
    const passwordRemoved = current.passwordHash !== null;
    if (passwordRemoved) await setPassword(tx, user.id, null);
    const sessionsRevoked = await tx.sessions.deleteForUser(user.id);
    await tx.accountTokens.deleteForUser(user.id);
    await tx.users.advanceSecurityEpoch(user.id);
    const purpose: AccountTokenPurpose = passwordRemoved ? "reset-password" : "recover-account";
    const issued = await issueAccountToken(ctx, tx, {
      userId: user.id,
      purpose,
      data: { email: current.email },
    });
    const result = { keysRemoved, methods, recoveryCodesDeleted, sessionsRevoked, passwordRemoved };
    await tx.record(
      "account.access-reset",
      { userId: user.id, ip: null },
      {
        by,
        ...result,
        link: purpose,
      },
    );
    return { ...result, link: { purpose, ...issued } };
  });
  await disableAppFactors(removed, user.id);
  return reset;
}
