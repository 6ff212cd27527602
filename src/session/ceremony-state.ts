import type { KeywardContext } from "../context.js";
import { clientSubject } from "../core/client-subject.js";
import { ErrorCode, KeywardError } from "../core/errors.js";
import { hashToken, randomToken } from "../core/ids.js";
import {
  type AttemptPlan,
  judgeAttempt,
  type LimitCheck,
  type Reservation,
  reserveAttempt,
} from "../core/rate-limit.js";
import type {
  CeremonyData,
  CeremonyKind,
  CeremonyOf,
  Credential,
  Usage,
  User,
} from "../core/types.js";

/** A ceremony to start, its `data` typed by its `kind`. */
export type CeremonyStart = {
  [K in CeremonyKind]: {
    kind: K;
    userId: string | null;
    sessionId: string | null;
    challenge?: string | null;
    usage?: Usage | null;
    name?: string | null;
    data: CeremonyData[K];
    ttlMs: number;
  };
}[CeremonyKind];

/** Who starts a ceremony: whom the start is counted against, and who answers for its state. */
export interface Starter {
  /** The client's IP. */
  ip: string | null;
  /**
   * The user answerable for the state: one who just proved a factor, holds a pending second
   * factor, or holds the session it is bound to. Null for an anonymous start, including a
   * sign-in that merely names a user (user hints): naming proves nothing.
   */
  holder: string | null;
}

/**
 * Saves a ceremony's state server-side and returns the opaque token the client sends back.
 * Every start is counted first (issue #15: 200,001 starts from one IP once pushed a user's
 * pending second factor out of memory): against the client's IP unless a session vouches for
 * it, and against the user who answers for it. In SQL and Redis nothing is evicted, so these
 * limits are what bound how many states a flood leaves behind.
 */
export async function startCeremony(
  ctx: KeywardContext,
  start: CeremonyStart,
  by: Starter,
): Promise<string> {
  const state = randomToken(32);
  const { ttlMs, ...fields } = start;
  const ceremony = {
    challenge: null,
    usage: null,
    name: null,
    ...fields,
    idHash: hashToken(state),
    expiresAt: ctx.clock.now() + ttlMs,
    holder: by.holder,
  };
  const states = ctx.store.ceremonies;
  const plan = startPlan(ctx, start, by);
  if (states.createCounted && plan.checks.length > 0) {
    // PostgreSQL alone: the count and the state in one statement, the state stored only if
    // the count allows it (one round trip, one commit).
    const counted = await states.createCounted(ceremony, plan.checks, plan.windowMs);
    await judgeAttempt(plan, counted);
    return state;
  }
  if (states.evicts) {
    await limitStarts(plan);
    await states.create(ceremony);
    return state;
  }
  // Where nothing is evicted, the count and the state go out together (one wait, not two); a
  // refused start's state is taken back, so a flood still leaves no states behind.
  const [limited, created] = await Promise.allSettled([limitStarts(plan), states.create(ceremony)]);
  if (limited.status === "rejected") {
    if (created.status === "fulfilled") {
      await states.consume(ceremony.idHash, ceremony.kind).catch(() => {});
    }
    throw limited.reason;
  }
  if (created.status === "rejected") throw created.reason;
  return state;
}

/** What a start is counted against (see `startCeremony`). */
function startPlan(
  ctx: KeywardContext,
  start: CeremonyStart,
  by: Starter,
): AttemptPlan<"ip" | "user"> {
  const { rateLimits } = ctx.config;
  const checks: LimitCheck<"ip" | "user">[] = [];
  // A session's own ceremonies are its user's to answer for; a client sharing an IP with it
  // (an office, a mobile carrier) is not held up by them.
  if (start.sessionId === null && by.ip !== null) {
    checks.push({
      scope: "ip",
      key: `ceremony-start:ip:${clientSubject(by.ip, rateLimits.ipv6Prefix)}`,
      limit: rateLimits.ceremonyStartsPerIp,
    });
  }
  if (by.holder !== null) {
    checks.push({
      scope: "user",
      key: `ceremony-start:user:${by.holder}`,
      limit: rateLimits.ceremonyStartsPerUser,
    });
  }
  return {
    limiter: ctx.store.ceremonyCounters,
    windowMs: rateLimits.window,
    checks,
    options: {
      now: ctx.clock.now(),
      message: (seconds) => `Too many attempts started; try again in ${seconds} seconds.`,
      onFirstRefusal: (scope) =>
        ctx.record(
          "ceremony.rate-limited",
          { userId: by.holder, ip: by.ip },
          { kind: start.kind, scope },
        ),
    },
  };
}

async function limitStarts(plan: AttemptPlan<"ip" | "user">): Promise<void> {
  if (plan.checks.length === 0) return;
  await reserveAttempt(plan.limiter, plan.windowMs, plan.checks, plan.options);
}

/**
 * Takes a ceremony's state exactly once. Only a state of the expected kind (and, for
 * ceremonies bound to a session, of this session) is found; anything else is STATE_INVALID.
 * It runs outside any transaction on purpose: a state is spent even if what follows fails.
 */
export async function consumeCeremony<K extends CeremonyKind>(
  ctx: KeywardContext,
  state: string,
  expect: { kind: K; sessionId?: string },
): Promise<CeremonyOf<K>> {
  const ceremony = await ctx.store.ceremonies.consume(
    hashToken(state),
    expect.kind,
    expect.sessionId,
  );
  return live(ctx, ceremony);
}

/** A taken state, unless none was found (STATE_INVALID) or it had expired (STATE_EXPIRED). */
function live<C extends { expiresAt: number }>(ctx: KeywardContext, ceremony: C | undefined): C {
  if (!ceremony) {
    throw new KeywardError(ErrorCode.STATE_INVALID);
  }
  if (ceremony.expiresAt <= ctx.clock.now()) {
    throw new KeywardError(ErrorCode.STATE_EXPIRED);
  }
  return ceremony;
}

/** What `reserveAndConsume` answers: each part refused or not on its own. */
export interface ReservedAndTaken<K extends CeremonyKind> {
  reserved: PromiseSettledResult<Reservation>;
  consumed: PromiseSettledResult<CeremonyOf<K>>;
  /** The key `withKey` named and its owner (undefined when none has that id). */
  key: Promise<{ credential: Credential; owner: User } | undefined>;
}

/**
 * An attempt reserved on the ceremony counters, a state taken (as `consumeCeremony`) and the
 * key `withKey` names read with its owner, at once: in one statement where the store can
 * (PostgreSQL alone: one round trip, one commit), else side by side. Each may be refused on
 * its own; the state is taken whatever the reservation answers. A store fault in the one
 * statement refuses all three, and changes nothing.
 */
export async function reserveAndConsume<Scope extends string, K extends CeremonyKind>(
  ctx: KeywardContext,
  attempt: AttemptPlan<Scope>,
  state: string,
  expect: { kind: K; sessionId?: string },
  withKey: string,
): Promise<ReservedAndTaken<K>> {
  const states = ctx.store.ceremonies;
  if (
    !states.consumeCounted ||
    attempt.limiter !== ctx.store.ceremonyCounters ||
    attempt.checks.length === 0
  ) {
    const key = ctx.store.credentials.byCredentialIdWithOwner(withKey);
    key.catch(() => {}); // the caller awaits it, unless an earlier check refuses
    const { limiter, windowMs, checks, options } = attempt;
    const [reserved, consumed] = await Promise.allSettled([
      reserveAttempt(limiter, windowMs, checks, options),
      consumeCeremony(ctx, state, expect),
    ]);
    return { reserved, consumed, key };
  }
  let taken: Awaited<ReturnType<NonNullable<typeof states.consumeCounted<K>>>>;
  try {
    taken = await states.consumeCounted(
      hashToken(state),
      expect.kind,
      expect.sessionId,
      attempt.checks.map((check) => check.key),
      attempt.windowMs,
      withKey,
    );
  } catch (error) {
    const refused = { status: "rejected", reason: error } as const;
    const key = Promise.reject(error);
    key.catch(() => {});
    return { reserved: refused, consumed: refused, key };
  }
  const [reserved, consumed] = await Promise.allSettled([
    judgeAttempt(attempt, taken.counted),
    (async () => live(ctx, taken.ceremony))(),
  ]);
  return { reserved, consumed, key: Promise.resolve(taken.key ?? undefined) };
}

/** A live ceremony's state without spending it; undefined when unknown or expired. */
export async function peekCeremony<K extends CeremonyKind>(
  ctx: KeywardContext,
  state: string,
  kind: K,
): Promise<CeremonyOf<K> | undefined> {
  const ceremony = await ctx.store.ceremonies.find(hashToken(state), kind);
  return ceremony && ceremony.expiresAt > ctx.clock.now() ? ceremony : undefined;
}
