import type { KeywardConfig } from "../config/schema.js";
import { refuseLocked } from "../core/account-lock.js";
import type { ActiveSession, Caller } from "../core/caller.js";
import type { Clock } from "../core/clock.js";
import { ErrorCode, KeywardError } from "../core/errors.js";
import { hashToken, randomToken } from "../core/ids.js";
import type { Aal, Amr, EarnedBy, Session, SessionLimit, User } from "../core/types.js";
import type { Repositories } from "../store/store.js";

/** What a new session takes from its caller: where it comes from, and the session it replaces. */
export type SessionCaller = Pick<Caller, "client" | "sessionToken">;

export interface EarnedAssurance {
  amr: Amr[];
  aal: Aal;
  uv: boolean;
  /** The key or factor of each step: removing one of them ends the session (invariant 12). */
  earnedBy: EarnedBy;
}

// Writing last_seen_at on every request would turn reads into writes; once a minute is enough
// for an idle timeout measured in hours or days.
const TOUCH_INTERVAL_MS = 60_000;
// A well-formed token is 32 random bytes in base64url; anything else is not worth a lookup.
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Issues, resolves and revokes sessions. The token lives only in the cookie; its hash in the store. */
export class Sessions {
  constructor(
    private readonly config: KeywardConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * Starts a session. The session the caller carries (`caller.sessionToken`) is superseded:
   * it is deleted, so every privilege change yields a new id (no fixation). `persistent` is the
   * user's "remember me": false starts a browser session (short lifetimes, a cookie without
   * Max-Age).
   */
  async issue(
    store: Repositories,
    user: User,
    assurance: EarnedAssurance,
    caller: SessionCaller,
    persistent = true,
  ): Promise<{ token: string; session: Session }> {
    this.requireConfirmedEmail(user);
    return this.create(store, user, { assurance, limited: null, persistent }, caller);
  }

  /**
   * Starts a limited session: "recovery" (an account recovery link, amr `email`) lives for
   * `lifecycle.recoverySessionLifetime` and can only register a new key (see refuseLimited).
   */
  async issueLimited(
    store: Repositories,
    user: User,
    limit: SessionLimit,
    caller: SessionCaller,
  ): Promise<{ token: string; session: Session }> {
    // Earned by a mailbox, not by a factor the user can remove; a recovery session is short
    // anyway and never remembered past the browser.
    const assurance: EarnedAssurance = {
      amr: ["email"],
      aal: 1,
      uv: false,
      earnedBy: { first: null, second: null },
    };
    return this.create(store, user, { assurance, limited: limit, persistent: false }, caller);
  }

  private async create(
    store: Repositories,
    user: User,
    {
      assurance,
      limited,
      persistent = true,
    }: { assurance: EarnedAssurance; limited: SessionLimit | null; persistent?: boolean },
    { client, sessionToken: replacing }: SessionCaller,
  ): Promise<{ token: string; session: Session }> {
    // Every session, full or limited, is issued here: a locked account gets none.
    refuseLocked(user, this.clock.now());
    if (replacing) await store.sessions.delete(hashToken(replacing));
    const token = randomToken(32);
    const { session: lifetimes, lifecycle } = this.config;
    const lifetime =
      limited !== null
        ? lifecycle.recoverySessionLifetime
        : persistent
          ? lifetimes.lifetime
          : lifetimes.browserLifetime;
    const session = await store.sessions.create({
      idHash: hashToken(token),
      userId: user.id,
      expiresAt: this.clock.now() + lifetime,
      amr: [...new Set(assurance.amr)],
      aal: assurance.aal,
      uv: assurance.uv,
      ip: client.ip,
      userAgent: client.userAgent ? client.userAgent.slice(0, 512) : null,
      limited,
      earnedBy: assurance.earnedBy,
      persistent,
    });
    return { token, session };
  }

  /**
   * Every sign-in ends here, so this is where `lifecycle.confirmEmail` is enforced: with
   * "required" (or "grace" once the grace period is over) an unconfirmed address gets no
   * session. Callers have verified the user's factors by now, so the refusal reveals nothing
   * to someone who does not already hold them.
   */
  requireConfirmedEmail(user: User): void {
    if (!this.mustConfirmEmail(user)) return;
    throw new KeywardError(ErrorCode.EMAIL_NOT_CONFIRMED);
  }

  /** The live session behind a token, or undefined when it is unknown, expired or idle. */
  async resolve(
    store: Repositories,
    token: string | undefined,
  ): Promise<ActiveSession | undefined> {
    if (!token || !TOKEN_PATTERN.test(token)) return undefined;
    const session = await store.sessions.byIdHash(hashToken(token));
    if (!session) return undefined;
    const now = this.clock.now();
    if (session.expiresAt <= now || session.lastSeenAt + this.idleTimeoutOf(session) <= now) {
      await store.sessions.delete(session.id);
      return undefined;
    }
    const user = await store.users.byId(session.userId);
    if (!user?.active) return undefined;
    if (session.aal === 2 && this.aal2Lapsed(session, now)) {
      // Written, not only derived: activity after an idle lapse must not bring AAL2 back.
      await store.sessions.lapseAal2(session.id, session.aal2At ?? 0, now);
      session.aal = 1;
      session.lastSeenAt = now;
    } else if (now - session.lastSeenAt >= TOUCH_INTERVAL_MS) {
      await store.sessions.touch(session.id, now);
      session.lastSeenAt = now;
    }
    return { session, user };
  }

  /** How long this session may go unused: a browser session's bound is shorter. */
  idleTimeoutOf(session: Session): number {
    const { idleTimeout, browserIdleTimeout } = this.config.session;
    return session.persistent ? idleTimeout : browserIdleTimeout;
  }

  /**
   * Whether an AAL2 session is past SP 800-63B-4's reauthentication bounds: `aal2MaxAge`
   * since AAL2 was last proved, or `aal2IdleTimeout` since the session was last seen
   * (`last_seen_at` is written once a minute, close enough for a bound counted in hours).
   */
  aal2Lapsed(session: Session, now = this.clock.now()): boolean {
    const { aal2MaxAge, aal2IdleTimeout } = this.config.session;
    const provedAt = session.aal2At ?? session.createdAt;
    return now - provedAt >= aal2MaxAge || now - session.lastSeenAt >= aal2IdleTimeout;
  }

  /** The AAL a stored session holds now (for lists of sessions, which are not resolved). */
  currentAal(session: Session): Aal {
    return session.aal === 2 && this.aal2Lapsed(session) ? 1 : session.aal;
  }

  /**
   * Refuses a session below `required`, with the code a client can act on: a session that
   * proved AAL2 and lost it to time gets REAUTHENTICATION_REQUIRED (prove AAL2 again, e.g.
   * /wan-verify with a passkey); one that never had it gets AAL_REQUIRED (sign in with a
   * second factor).
   */
  requireAal(session: Session, required: Aal, message?: string): void {
    if (session.aal >= required) return;
    if (required === 2 && session.aal2At !== null) {
      throw new KeywardError(ErrorCode.REAUTHENTICATION_REQUIRED, undefined, {
        required,
        current: session.aal,
        reason: "aal-expired",
      });
    }
    throw new KeywardError(
      ErrorCode.AAL_REQUIRED,
      message ??
        `This needs a session at assurance level ${required}; sign in with a second factor.`,
      { required, current: session.aal },
    );
  }

  /**
   * The session proved AAL2 again (reauthentication): it gets a new id (a privilege change),
   * AAL2 proved now, and is fresh. Returns the new token; undefined when the session is gone.
   */
  async reauthenticate(store: Repositories, session: Session): Promise<string | undefined> {
    const token = randomToken(32);
    const idHash = hashToken(token);
    const now = this.clock.now();
    if (!(await store.sessions.reauthenticate(session.id, idHash, now))) return undefined;
    Object.assign(session, { id: idHash, aal: 2, aal2At: now, freshAt: now, lastSeenAt: now });
    return token;
  }

  async revoke(store: Repositories, token: string): Promise<boolean> {
    return store.sessions.delete(hashToken(token));
  }

  /** Marks the session fresh: the user just proved presence again. */
  async markFresh(store: Repositories, session: Session): Promise<void> {
    const now = this.clock.now();
    await store.sessions.markFresh(session.id, now);
    session.freshAt = now;
  }

  /** Whether the session was earned or re-verified within `withinMs` (default: config). */
  isFresh(session: Session, withinMs = this.config.session.freshWithin): boolean {
    return this.clock.now() - session.freshAt <= withinMs;
  }

  /**
   * Refuses a session that is not fresh (within `withinMs`, default: config): sensitive changes
   * and routes guarded with `auth.require({ fresh })` need a recent proof of presence.
   */
  requireFresh(session: Session, withinMs?: number): void {
    if (!this.isFresh(session, withinMs)) {
      throw new KeywardError(ErrorCode.FRESHNESS_REQUIRED);
    }
  }

  /** Whether the user may not sign in before confirming their address (see above). */
  mustConfirmEmail(user: User): boolean {
    const { confirmEmail, confirmGracePeriod } = this.config.lifecycle;
    if (confirmEmail === "off" || user.emailConfirmedAt !== null) return false;
    return !(confirmEmail === "grace" && this.clock.now() < user.createdAt + confirmGracePeriod);
  }

  /**
   * Refuses a limited session (account recovery) on a route that did not opt in. The one
   * check behind the route table (http/route.ts) and auth.require() / api.requireSession (apps).
   */
  refuseLimited(session: Session): void {
    if (session.limited !== null) {
      throw new KeywardError(ErrorCode.SESSION_LIMITED, undefined, { limited: session.limited });
    }
  }

  /** The session cookie's Max-Age; undefined for a browser session (a cookie without one). */
  cookieMaxAgeSeconds(session: Session): number | undefined {
    if (!session.persistent) return undefined;
    return (session.expiresAt - this.clock.now()) / 1000;
  }
}
