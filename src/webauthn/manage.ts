import { canSignIn, signInMethods } from "../account/sign-in-methods.js";
import type { KeywardContext } from "../context.js";
import type { ActiveSession, Caller } from "../core/caller.js";
import { ErrorCode, KeywardError, UniqueViolationError } from "../core/errors.js";
import {
  type Credential,
  earnedWith,
  type FactorRef,
  keyFactor,
  type User,
} from "../core/types.js";
import { assertRemovable, factorsOf, loadEnrolment } from "../factors/enrolment.js";
import { appFactorsHeld } from "../factors/registry.js";
import type { SecondFactorSettings } from "../store/store.js";
import { type CredentialView, toCredentialView } from "./view.js";

export async function listKeys(
  ctx: KeywardContext,
  active: ActiveSession,
): Promise<CredentialView[]> {
  return (await ctx.store.credentials.listForUser(active.user.id)).map((key) =>
    toCredentialView(key, ctx.authenticatorNames),
  );
}

/**
 * The user's keys with what deleting each would do, so a page can say it before the user asks
 * (the last way to sign in, the only second factor).
 */
export async function listKeysWithRemoval(
  ctx: KeywardContext,
  active: ActiveSession,
): Promise<(CredentialView & { removal: KeyRemoval })[]> {
  const [keys, settings, app] = await Promise.all([
    ctx.store.credentials.listForUser(active.user.id),
    ctx.store.secondFactors.get(active.user.id),
    appFactorsHeld(ctx, active.user.id),
  ]);
  const none: KeyRemoval = { leavesNoSignIn: false, turnsOffTwoFactor: false };
  return keys.map((key) => ({
    ...toCredentialView(key, ctx.authenticatorNames),
    removal: settings ? keyRemoval(ctx, { user: active.user, keys, settings, app }, key) : none,
  }));
}

/** A key of this user by name (as stored, after sanitising) or by id. */
async function findKey(
  ctx: KeywardContext,
  active: ActiveSession,
  ref: { name?: string | undefined; id?: string | undefined },
): Promise<Credential> {
  const keys = await ctx.store.credentials.listForUser(active.user.id);
  const name = ref.name === undefined ? undefined : ctx.webauthnUtil.sanitizeName(ref.name);
  const key = keys.find((k) => (ref.id !== undefined ? k.id === ref.id : k.name === name));
  if (!key) throw new KeywardError(ErrorCode.WEBAUTHN_CREDENTIAL_NOT_FOUND);
  return key;
}

export async function renameKey(
  ctx: KeywardContext,
  active: ActiveSession,
  input: { name?: string | undefined; id?: string | undefined; newName: string },
  { client }: Caller,
): Promise<CredentialView> {
  const key = await findKey(ctx, active, input);
  const newName = ctx.webauthnUtil.sanitizeName(input.newName);
  try {
    await ctx.transaction(async (tx) => {
      await tx.credentials.rename(active.user.id, key.id, newName);
      await tx.record(
        "webauthn.renamed",
        { userId: active.user.id, ip: client.ip },
        {
          credentialId: key.credentialId,
          from: key.name,
          to: newName,
        },
      );
    });
  } catch (error) {
    if (error instanceof UniqueViolationError) {
      throw new KeywardError(
        ErrorCode.WEBAUTHN_NAME_TAKEN,
        `You already have a key named "${newName}".`,
      );
    }
    throw error;
  }
  return toCredentialView({ ...key, name: newName }, ctx.authenticatorNames);
}

/** What removing a key does to the account beyond the key itself. */
export interface KeyRemoval {
  /** The account had a way to sign in and would have none left (no password, no passkey). */
  leavesNoSignIn: boolean;
  /** The key is the account's only second factor: two-step verification goes with it. */
  turnsOffTwoFactor: boolean;
}

/** What an account signs in with: its password (or none), all its keys, its second factors. */
export interface AccountFactors {
  user: Pick<User, "passwordHash">;
  keys: readonly Credential[];
  settings: SecondFactorSettings;
  /** The app's own factors the account holds (by name). */
  app: readonly string[];
}

/**
 * What removing `key` from the account's keys would do, so the pages can say it before and
 * the API can ask for a confirmation.
 */
export function keyRemoval(
  ctx: Pick<KeywardContext, "config" | "factors">,
  { user, keys, settings, app }: AccountFactors,
  key: Credential,
): KeyRemoval {
  const left = keys.filter((k) => k.id !== key.id);
  const secondary = (list: readonly Credential[]) => list.filter((k) => k.usage === "secondary");
  const factorsBefore = factorsOf(ctx, { settings, keys: secondary(keys), app });
  return {
    leavesNoSignIn:
      canSignIn(signInMethods(ctx, user, keys)) && !canSignIn(signInMethods(ctx, user, left)),
    turnsOffTwoFactor:
      key.usage === "secondary" &&
      factorsBefore.length > 0 &&
      factorsOf(ctx, { settings, keys: secondary(left), app }).length === 0,
  };
}

/** What removing `key` takes away: the key; for a second factor, remembered devices; for the last one, recovery codes. */
function removedFactors(key: Credential, turnsOffTwoFactor: boolean): FactorRef[] {
  if (key.usage === "first") return [keyFactor(key.id)];
  // A remembered device may have stood in for this second factor, and with the last one gone
  // recovery codes stand in for nothing.
  return [keyFactor(key.id), "remembered", ...(turnsOffTwoFactor ? ["recovery" as const] : [])];
}

/** The confirmation `POST /wan-delete` needs to remove the account's last way to sign in. */
export const CONFIRM_LAST_SIGN_IN = "last-sign-in-method";

export interface RemovedKey {
  sessionsRevoked: number;
  /** The key was the only second factor: two-step verification is off, recovery codes gone. */
  twoFactorDisabled: boolean;
  /** The account has no password and no passkey left. */
  leftWithoutSignIn: boolean;
}

/**
 * Deletes a key and, in the same transaction, every session it earned (as first factor or
 * second), so a removed key never leaves a live session behind (invariant 12). The only second
 * factor takes two-step verification with it, like turning off the last code method: its
 * recovery codes go, and a `two-factor.disabled` event says so. POST /wan-delete and
 * `keyward keys delete` both delete keys here.
 */
export async function removeKey(
  ctx: Pick<KeywardContext, "config" | "store" | "transaction" | "factors">,
  key: Credential,
  ip: string | null,
): Promise<RemovedKey> {
  const [user, keys, settings, app] = await Promise.all([
    ctx.store.users.byId(key.userId),
    ctx.store.credentials.listForUser(key.userId),
    ctx.store.secondFactors.get(key.userId),
    appFactorsHeld(ctx, key.userId),
  ]);
  const effect =
    user && settings
      ? keyRemoval(ctx, { user, keys, settings, app }, key)
      : { leavesNoSignIn: false, turnsOffTwoFactor: false };
  return ctx.transaction(async (tx) => {
    await tx.credentials.delete(key.userId, key.id);
    if (effect.turnsOffTwoFactor) {
      await tx.recoveryCodes.deleteForUser(key.userId);
      await tx.secondFactors.change(key.userId, { primaryMethod: null });
    }
    const sessionsRevoked = await tx.sessions.deleteEarnedBy(
      key.userId,
      removedFactors(key, effect.turnsOffTwoFactor),
    );
    await tx.record(
      "webauthn.deleted",
      { userId: key.userId, ip },
      {
        credentialId: key.credentialId,
        name: key.name,
        usage: key.usage,
        sessionsRevoked,
        twoFactorDisabled: effect.turnsOffTwoFactor,
        leftWithoutSignIn: effect.leavesNoSignIn,
      },
    );
    if (effect.turnsOffTwoFactor) {
      await tx.record(
        "two-factor.disabled",
        { userId: key.userId, ip },
        { methods: ["webauthn"], sessionsRevoked },
      );
    }
    return {
      sessionsRevoked,
      twoFactorDisabled: effect.turnsOffTwoFactor,
      leftWithoutSignIn: effect.leavesNoSignIn,
    };
  });
}

/**
 * POST /wan-delete. Policy may keep a second factor (last one, last roaming one); the last way
 * to sign in goes only with `confirm: "last-sign-in-method"` (LAST_SIGN_IN_METHOD otherwise),
 * so no client strands an account by a plain delete.
 */
export async function deleteKey(
  ctx: KeywardContext,
  active: ActiveSession,
  input: { name?: string | undefined; id?: string | undefined; confirm?: string | undefined },
  { client }: Caller,
): Promise<{
  credential: CredentialView;
  signedOut: boolean;
  twoFactorDisabled: boolean;
  leftWithoutSignIn: boolean;
}> {
  const key = await findKey(ctx, active, input);
  const enrolment = await loadEnrolment(ctx, active.user);
  if (key.usage === "secondary") {
    assertRemovable(ctx, enrolment, (factor) => factor.keyId === key.id);
  }
  const keys = await ctx.store.credentials.listForUser(active.user.id);
  const effect = keyRemoval(
    ctx,
    { user: active.user, keys, settings: enrolment.settings, app: enrolment.app },
    key,
  );
  if (effect.leavesNoSignIn && input.confirm !== CONFIRM_LAST_SIGN_IN) {
    throw new KeywardError(
      ErrorCode.LAST_SIGN_IN_METHOD,
      'This key is the account\'s only way to sign in (no password, no other passkey). Add another first, or send confirm: "last-sign-in-method" to remove it anyway.',
      { confirm: CONFIRM_LAST_SIGN_IN },
    );
  }
  const removed = await removeKey(ctx, key, client.ip);
  return {
    credential: toCredentialView(key, ctx.authenticatorNames),
    // When the key earned the session making the change, that session ended too.
    signedOut: earnedWith(active.session.earnedBy, removedFactors(key, removed.twoFactorDisabled)),
    twoFactorDisabled: removed.twoFactorDisabled,
    leftWithoutSignIn: removed.leftWithoutSignIn,
  };
}
