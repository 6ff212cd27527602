import type { KeywardContext } from "../context.js";
import type { ActiveSession, Caller } from "../core/caller.js";
import { ErrorCode, KeywardError } from "../core/errors.js";
import type { Aal, Amr, Session, SessionLimit } from "../core/types.js";
import { describeDevice } from "./device.js";

/**
 * The signed-in user's view of their sessions: list them (device, last seen), end one, or
 * end them all ("sign out everywhere"). A session is named by a public id (a prefix of its
 * stored hash): never the cookie value, and useless for anything but naming it to its owner.
 */

const PUBLIC_ID_LENGTH = 16;

export function publicSessionId(session: Session): string {
  return session.id.slice(0, PUBLIC_ID_LENGTH);
}

export interface SessionSummary {
  id: string;
  current: boolean;
  device: string | null;
  userAgent: string | null;
  ip: string | null;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  aal: Aal;
  amr: Amr[];
  limited?: SessionLimit;
}

/** The user's live sessions (not expired, not idle), the current one first, then newest first. */
async function liveSessions(ctx: KeywardContext, userId: string): Promise<Session[]> {
  const now = ctx.clock.now();
  const { idleTimeout } = ctx.config.session;
  return (await ctx.store.sessions.listForUser(userId)).filter(
    (s) => s.expiresAt > now && s.lastSeenAt + idleTimeout > now,
  );
}

export async function listSessions(
  ctx: KeywardContext,
  active: ActiveSession,
  /** The language of `device` ("Firefox on Linux"; default: the default language). */
  locale?: string,
): Promise<SessionSummary[]> {
  const { t } = ctx.languages.get(locale);
  const iso = (ms: number) => new Date(ms).toISOString();
  const sessions = await liveSessions(ctx, active.user.id);
  return sessions
    .map((s) => ({
      id: publicSessionId(s),
      current: s.id === active.session.id,
      device: describeDevice(s.userAgent, t),
      userAgent: s.userAgent,
      ip: s.ip,
      createdAt: iso(s.createdAt),
      lastSeenAt: iso(s.lastSeenAt),
      expiresAt: iso(s.expiresAt),
      aal: ctx.sessions.currentAal(s),
      amr: s.amr,
      ...(s.limited !== null ? { limited: s.limited } : {}),
    }))
    .sort((a, b) => Number(b.current) - Number(a.current));
}

/**
 * Ends one of the user's sessions by its public id. Ending another session takes a fresh
 * session (a stolen, stale cookie must not lock its owner out); ending the current one is
 * signing out. Another user's session is never found.
 */
export async function revokeSession(
  ctx: KeywardContext,
  active: ActiveSession,
  id: string,
  { client }: Caller,
): Promise<{ current: boolean }> {
  const target = (await ctx.store.sessions.listForUser(active.user.id)).find(
    (s) => publicSessionId(s) === id,
  );
  if (!target) throw new KeywardError(ErrorCode.SESSION_NOT_FOUND);
  const current = target.id === active.session.id;
  if (!current) ctx.sessions.requireFresh(active.session);
  const who = { userId: active.user.id, ip: client.ip };
  await ctx.transaction(async (tx) => {
    await tx.sessions.delete(target.id);
    if (current) await tx.record("user.logout", who, {});
    else await tx.record("session.revoked", who, { sessionId: id });
  });
  return { current };
}

/**
 * POST /logout: ends the session the caller carries, whatever state it is in (signing out
 * needs no valid session); `user.logout` is recorded when it was a live one.
 */
export async function signOut(ctx: KeywardContext, caller: Caller): Promise<void> {
  const { sessionToken: token, client } = caller;
  if (!token) return;
  const active = await ctx.sessions.resolve(ctx.store, token);
  await ctx.transaction(async (tx) => {
    await ctx.sessions.revoke(tx, token);
    if (active) await tx.record("user.logout", { userId: active.user.id, ip: client.ip }, {});
  });
}

/**
 * Sign out everywhere: every session of the user ends, this one included, and so does every
 * remembered device and waiting sign-in (a new security epoch): "everywhere" includes the
 * browsers that would otherwise skip the second factor next time.
 */
export async function signOutEverywhere(
  ctx: KeywardContext,
  active: ActiveSession,
  { client }: Caller,
): Promise<number> {
  return ctx.transaction(async (tx) => {
    const sessionsRevoked = await tx.sessions.deleteForUser(active.user.id);
    await tx.users.advanceSecurityEpoch(active.user.id);
    await tx.record(
      "session.revoked-all",
      { userId: active.user.id, ip: client.ip },
      { sessionsRevoked },
    );
    return sessionsRevoked;
  });
}
