import { randomInt } from "node:crypto";
import type { KeywardContext, UnitOfWork } from "../context.js";
import type { ActiveSession, Caller } from "../core/caller.js";
import { ErrorCode, KeywardError } from "../core/errors.js";
import { constantTimeEqual, hashToken } from "../core/ids.js";
import { factorsOf, loadEnrolment } from "./enrolment.js";

// Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand survives.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
// 16 symbols × 5 bits = 80 bits: far beyond guessing, so a fast hash is enough to store them.
const LENGTH = 16;

/** A new recovery code, e.g. "7KQ2-M9XD-4TJH-W0AC". */
export function newRecoveryCode(): string {
  let code = "";
  for (let i = 0; i < LENGTH; i += 1) code += ALPHABET[randomInt(ALPHABET.length)];
  return code.match(/.{4}/g)!.join("-");
}

/** What the user typed, as generated: case, spaces and dashes ignored; look-alikes mapped. */
export function normaliseRecoveryCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
}

// Salted with the user id, so equal codes of two users never share a hash.
const hashFor = (userId: string, code: string) =>
  hashToken(`keyward/recovery:${userId}:${normaliseRecoveryCode(code)}`);

/**
 * Generates a new set of recovery codes (shown once, stored hashed); the old set stops
 * working. Needs a setup session and at least one second factor to recover.
 */
export async function generateRecoveryCodes(
  ctx: KeywardContext,
  active: ActiveSession,
  caller: Caller,
): Promise<string[]> {
  const enrolment = await loadEnrolment(ctx, active.user);
  if (factorsOf(ctx, enrolment).length === 0) {
    throw new KeywardError(
      ErrorCode.TWO_FACTOR_NOT_ENROLLED,
      "Set up a second factor first; recovery codes stand in for it.",
    );
  }
  return ctx.transaction((tx) =>
    replaceRecoveryCodes(
      ctx,
      tx,
      { userId: active.user.id, keepSessionId: active.session.id },
      caller,
    ),
  );
}

/**
 * Stores a new set of codes for the user in `tx` (a unit of work the caller holds) and
 * returns them in the clear, for the only time. The old set is gone, and with it the sessions
 * its codes earned, except `keepSessionId`: the session that asked for the new set and is
 * shown it (a user who just signed in with a code is told to do exactly this).
 */
export async function replaceRecoveryCodes(
  ctx: KeywardContext,
  tx: UnitOfWork,
  { userId, keepSessionId }: { userId: string; keepSessionId: string },
  caller: Caller,
): Promise<string[]> {
  const codes = Array.from({ length: ctx.config.twoFactor.recoveryCodes }, newRecoveryCode);
  await tx.recoveryCodes.replace(
    userId,
    codes.map((code) => hashFor(userId, code)),
  );
  // A new set is a second-factor change: remembered devices are revoked with it.
  await tx.secondFactors.change(userId, {});
  const sessionsRevoked = await tx.sessions.deleteEarnedBy(userId, ["recovery"], keepSessionId);
  await tx.record(
    "two-factor.recovery-codes-generated",
    { userId, ip: caller.client.ip },
    { count: codes.length, sessionsRevoked },
  );
  return codes;
}

/**
 * Spends one of the user's recovery codes, or throws RECOVERY_CODE_INVALID. Every unused
 * code is compared, in constant time, whatever matched first. Returns how many are left.
 */
export async function spendRecoveryCode(
  ctx: KeywardContext,
  userId: string,
  code: string,
): Promise<number> {
  const hash = hashFor(userId, code);
  let match: string | undefined;
  for (const row of await ctx.store.recoveryCodes.listUnused(userId)) {
    if (constantTimeEqual(hash, row.codeHash)) match = row.id;
  }
  // markUsed only succeeds on an unused code: of two racing requests, one spends it.
  if (match === undefined || !(await ctx.store.recoveryCodes.markUsed(match, ctx.clock.now()))) {
    throw new KeywardError(ErrorCode.RECOVERY_CODE_INVALID);
  }
  return ctx.store.recoveryCodes.countUnused(userId);
}
