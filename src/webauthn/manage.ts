import type { KeywardContext, Work } from "../context.js";
import { ErrorCode, KeywardError, UniqueViolationError } from "../core/errors.js";
import { type Credential, earnedWith, type FactorRef, keyFactor } from "../core/types.js";
import { assertRemovable, loadEnrolment } from "../factors/enrolment.js";
import type { ActiveSession, ClientInfo } from "../session/sessions.js";
import { type CredentialView, toCredentialView } from "./view.js";

export async function listKeys(
  ctx: KeywardContext,
  active: ActiveSession,
): Promise<CredentialView[]> {
  return (await ctx.store.credentials.listForUser(active.user.id)).map((key) =>
    toCredentialView(key, ctx.authenticatorNames),
  );
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
  if (!key) throw new KeywardError(ErrorCode.WEBAUTHN_CREDENTIAL_NOT_FOUND, "No such key.");
  return key;
}

export async function renameKey(
  ctx: KeywardContext,
  active: ActiveSession,
  input: { name?: string | undefined; id?: string | undefined; newName: string },
  client: ClientInfo,
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

/** What removing `key` takes away: the key, and for a second factor, remembered devices. */
function removedFactors(key: Credential): FactorRef[] {
  // A remembered device may have stood in for this second factor.
  return key.usage === "secondary" ? [keyFactor(key.id), "remembered"] : [keyFactor(key.id)];
}

/**
 * Deletes a key and, in the same transaction, every session it earned (as first factor or
 * second), so a removed key never leaves a live session behind (invariant 12). POST
 * /wan-delete and `keyward keys delete` both delete keys here.
 */
export async function removeKey(
  ctx: Pick<Work, "transaction">,
  key: Credential,
  ip: string | null,
): Promise<{ sessionsRevoked: number }> {
  return ctx.transaction(async (tx) => {
    await tx.credentials.delete(key.userId, key.id);
    const sessionsRevoked = await tx.sessions.deleteEarnedBy(key.userId, removedFactors(key));
    await tx.record(
      "webauthn.deleted",
      { userId: key.userId, ip },
      { credentialId: key.credentialId, name: key.name, usage: key.usage, sessionsRevoked },
    );
    return { sessionsRevoked };
  });
}

export async function deleteKey(
  ctx: KeywardContext,
  active: ActiveSession,
  input: { name?: string | undefined; id?: string | undefined },
  client: ClientInfo,
): Promise<{ credential: CredentialView; signedOut: boolean }> {
  const key = await findKey(ctx, active, input);
  if (key.usage === "secondary") {
    // A secondary key is a second factor: policy may keep it (last factor, last roaming one).
    const enrolment = await loadEnrolment(ctx, active.user);
    assertRemovable(ctx, enrolment, (factor) => factor.keyId === key.id);
  }
  await removeKey(ctx, key, client.ip);
  return {
    credential: toCredentialView(key, ctx.authenticatorNames),
    // When the key earned the session making the change, that session ended too.
    signedOut: earnedWith(active.session.earnedBy, removedFactors(key)),
  };
}
