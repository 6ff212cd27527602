import type { UnitOfWork } from "../context.js";
import type { ClientInfo } from "../core/caller.js";
import type { User } from "../core/types.js";
import { builtInRegistry, heldMethods, removalOf } from "../factors/registry.js";
import { setPassword } from "./set-password.js";

/**
 * Pre-account takeover, closed (design invariant 13). With `lifecycle.confirmEmail` "grace"
 * (or "off") anyone may sign up with an address they do not own and, before its owner
 * notices, set a password, add keys, second factors and recovery codes. When the owner's
 * mailbox then proves control of the account (a password reset or an account recovery link,
 * or a sign-in code sent to the address), everything added while the address was unconfirmed
 * is the work of someone who never proved it: it all goes, the password included, in the
 * transaction that spends the link or the code. Confirming through the confirmation link does not
 * wipe: only the mailbox receives that link, and opening it is its owner vouching for the
 * account as it stands (the mail says to ignore it when they did not sign up).
 */

/** What was removed, for the event and the owner's notice. */
export interface UnconfirmedHolderRemoval {
  via: "reset-password" | "recover-account" | "code-signin";
  /** Whether a password was set (a reset replaces it at once; otherwise the account has none). */
  password: boolean;
  /** WebAuthn keys of both usages. */
  keys: number;
  /** Code methods that were enrolled: "totp", "sms", "email". */
  secondFactors: string[];
  /** Unused recovery codes. */
  recoveryCodes: number;
  /** Sessions signed out, every one of the user's. */
  sessions: number;
}

/**
 * Whether the owner needs the notice: something was removed that the reset or recovery mail
 * does not already tell of (a reset's mail says every session was signed out).
 */
export function removedAnything(removal: UnconfirmedHolderRemoval): boolean {
  // A reset's own mail says that the password was replaced and every session signed out.
  const reset = removal.via === "reset-password";
  const sessions = reset ? 0 : removal.sessions;
  const password = !reset && removal.password ? 1 : 0;
  return (
    removal.keys + removal.secondFactors.length + removal.recoveryCodes + sessions + password > 0
  );
}

/**
 * Removes the password, every key, second factor, recovery code, session and pending link of
 * `user` (whose address was never confirmed), voids remembered devices and waiting sign-ins
 * (a new security epoch), and records `account.unconfirmed-holder-removed`. Call it in the
 * unit of work that spends the mailbox's link or code, before the address is marked confirmed.
 */
export async function removeUnconfirmedHolder(
  tx: UnitOfWork,
  user: User,
  via: UnconfirmedHolderRemoval["via"],
  client: ClientInfo,
): Promise<UnconfirmedHolderRemoval> {
  const settings = await tx.secondFactors.get(user.id);
  // The built-in methods only: this runs inside the mailbox's unit of work, and an app's own
  // factors live in the app's storage (docs/two-factor.md, "Your own second factor").
  const secondFactors: string[] = heldMethods(
    { factors: builtInRegistry },
    { settings, app: [] },
  ).map((factor) => factor.method);
  // The holder's password would let them straight back in: it goes like their keys.
  const password = ((await tx.users.byId(user.id)) ?? user).passwordHash !== null;
  if (password) await setPassword(tx, user.id, null);
  const keys = await tx.credentials.deleteForUser(user.id);
  await tx.secondFactors.change(user.id, { ...removalOf(), primaryMethod: null });
  const recoveryCodes = await tx.recoveryCodes.countUnused(user.id);
  await tx.recoveryCodes.deleteForUser(user.id);
  const sessions = await tx.sessions.deleteForUser(user.id);
  // A change of address the holder asked for would hand the account to their mailbox.
  await tx.accountTokens.deleteForUser(user.id);
  await tx.users.advanceSecurityEpoch(user.id);
  const removal: UnconfirmedHolderRemoval = {
    via,
    password,
    keys,
    secondFactors,
    recoveryCodes,
    sessions,
  };
  await tx.record(
    "account.unconfirmed-holder-removed",
    { userId: user.id, ip: client.ip },
    removal,
  );
  return removal;
}
