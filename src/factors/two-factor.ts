import type { KeywardContext } from "../context.js";
import { ErrorCode, KeywardError } from "../core/errors.js";
import { hashToken } from "../core/ids.js";
import type { Aal, Amr, CeremonyOf, FactorRef, PublicUser, Session, User } from "../core/types.js";
import { toPublicUser } from "../core/types.js";
import { consumeCeremony, startCeremony } from "../session/ceremony-state.js";
import type { ClientInfo } from "../session/sessions.js";
import type { Store } from "../store/store.js";
import { limitAttempts } from "./attempts.js";
import { loadEnrolment } from "./enrolment.js";
import { methodsOf, requireOffered } from "./methods.js";
import { spendRecoveryCode } from "./recovery.js";
import { type CodeMethod, isCodeFactor, type SecondFactorMethod } from "./registry.js";
import { isRemembered, rememberToken } from "./remember.js";

/**
 * Signing in with two factors, top to bottom: after the first factor a server-side pending
 * state (single use, expiring, bound to the user) lists the user's methods; the user picks
 * one (SMS and email send a code), proves it, and only then is a session issued (AAL2, amr
 * recording both factors). WebAuthn secondary keys prove it through /wan-signin.
 */

export type { SecondFactorMethod } from "./registry.js";

/** A sign-in waiting for its second factor. */
export type PendingSignIn = CeremonyOf<"second-factor">;

/** What the first factor proved. */
export interface FirstFactor {
  amr: Amr[];
  uv: boolean;
  /** Which factor it was (`pwd`, or the key), recorded on the session it earns. */
  ref: FactorRef;
  /** The first factor alone satisfies two factors (a `first` key that verified the user). */
  multiFactor: boolean;
}

export type SignInOutcome =
  | { kind: "session"; token: string; session: Session; user: PublicUser }
  | { kind: "second-factor"; state: string; methods: SecondFactorMethod[] };

export type SessionOutcome = Extract<SignInOutcome, { kind: "session" }>;

/**
 * Writes that belong to the sign-in (e.g. the key's use and its event), run on the store of
 * the transaction that issues the session, so that both commit or neither does. `aal` is the
 * level the sign-in reached (1 while a second factor is still owed).
 */
export type SignInWrites = (store: Store, aal: Aal) => Promise<void>;

/** The second factors this user has enrolled and the configuration offers. */
export async function secondFactorMethods(
  ctx: KeywardContext,
  user: User,
): Promise<SecondFactorMethod[]> {
  return methodsOf(ctx, await loadEnrolment(ctx, user));
}

/**
 * After a first factor: either the session is earned now, or the user must complete a second
 * factor first (a server-side pending state; no session is issued until then). With
 * `twoFactor.required`, a user without a second factor gets a pending state with no methods:
 * it can only be used to enrol one (POST /tf-setup with the state).
 */
export async function completeFirstFactor(
  ctx: KeywardContext,
  user: User,
  factor: FirstFactor,
  client: ClientInfo,
  replacingToken?: string,
  alongside?: SignInWrites,
): Promise<SignInOutcome> {
  if (!factor.multiFactor) {
    const methods = await secondFactorMethods(ctx, user);
    const mustEnrol = methods.length === 0 && ctx.config.twoFactor.required;
    if (methods.length > 0 || mustEnrol) {
      const state = await startCeremony(
        ctx,
        {
          kind: "second-factor",
          userId: user.id,
          sessionId: null,
          data: {
            amr: factor.amr,
            uv: factor.uv,
            epoch: user.securityEpoch,
            firstFactor: factor.ref,
            ...(mustEnrol ? { enrol: true } : {}),
          },
          ttlMs: ctx.config.twoFactor.pendingWithin,
        },
        // The first factor is proved: the user answers for this state (and its pool in memory).
        { ip: client.ip, holder: user.id },
      );
      await ctx.events.record(
        ctx.store.events,
        "two-factor.required",
        { userId: user.id, ip: client.ip },
        { methods },
      );
      await alongside?.(ctx.store, 1);
      return { kind: "second-factor", state, methods };
    }
  }
  const aal = factor.multiFactor ? 2 : 1;
  const issue = (store: Store) =>
    ctx.sessions.issue(
      store,
      user,
      {
        amr: factor.multiFactor ? [...factor.amr, "mfa"] : factor.amr,
        aal,
        uv: factor.uv,
        earnedBy: { first: factor.ref, second: null },
      },
      client,
      replacingToken,
    );
  const issued = alongside
    ? await ctx.store.transaction(async (store) => {
        const issued = await issue(store);
        await alongside(store, aal);
        return issued;
      })
    : await issue(ctx.store);
  return { kind: "session", ...issued, user: toPublicUser(user) };
}

/** The first factor a pending sign-in recorded (null for a state from before 0005). */
export function pendingFirstFactor(pending: PendingSignIn): FactorRef | null {
  return pending.data.firstFactor ?? null;
}

/**
 * A sign-in that was waiting for its second factor while the owner re-established the account
 * (a reset, a recovery, sign out everywhere...) was begun with what no longer vouches for the
 * owner, such as the old password: it cannot be finished, and cannot enrol a factor either.
 */
export function assertSameEpoch(pending: PendingSignIn, user: User): void {
  if (pending.data.epoch !== user.securityEpoch) {
    throw new KeywardError(
      ErrorCode.STATE_INVALID,
      "This sign-in began before the account's password or owner changed; start again.",
    );
  }
}

/**
 * The pending sign-in behind `state`, without spending it: a wrong code leaves it usable
 * (attempts are rate-limited instead). Unknown → STATE_INVALID; expired → STATE_EXPIRED.
 */
export async function pendingSignIn(
  ctx: KeywardContext,
  state: string,
): Promise<{ pending: PendingSignIn; user: User }> {
  const pending = await ctx.store.ceremonies.find(hashToken(state), "second-factor");
  if (!pending?.userId) {
    throw new KeywardError(ErrorCode.STATE_INVALID);
  }
  if (pending.expiresAt <= ctx.clock.now()) {
    throw new KeywardError(ErrorCode.STATE_EXPIRED);
  }
  const user = await ctx.store.users.byId(pending.userId);
  if (!user) throw new KeywardError(ErrorCode.STATE_INVALID);
  if (!user.active) throw new KeywardError(ErrorCode.ACCOUNT_INACTIVE);
  assertSameEpoch(pending, user);
  return { pending, user };
}

/**
 * A second factor was proved for `user`: spend the pending state (it must be this user's) and
 * issue the AAL2 session, recording both factors. `method` defaults to "webauthn" (the
 * caller in webauthn/signin.ts).
 */
export async function completeSecondFactor(
  ctx: KeywardContext,
  pendingState: string,
  user: User,
  factor: { amr: Amr[]; uv: boolean; method?: string; ref: FactorRef },
  client: ClientInfo,
  replacingToken?: string,
  alongside?: SignInWrites,
): Promise<SessionOutcome> {
  const wrongUser = () => new KeywardError(ErrorCode.STATE_INVALID);
  // Look before spending: another user's factor must not burn this user's pending state.
  const peeked = await ctx.store.ceremonies.find(hashToken(pendingState), "second-factor");
  if (peeked && peeked.userId !== user.id) throw wrongUser();
  const pending = await consumeCeremony(ctx, pendingState, { kind: "second-factor" });
  if (pending.userId !== user.id) throw wrongUser();
  assertSameEpoch(pending, user);
  const issued = await ctx.store.transaction(async (store) => {
    const issued = await ctx.sessions.issue(
      store,
      user,
      {
        amr: [...pending.data.amr, ...factor.amr],
        aal: 2,
        uv: pending.data.uv || factor.uv,
        earnedBy: { first: pendingFirstFactor(pending), second: factor.ref },
      },
      client,
      replacingToken,
    );
    await ctx.events.record(
      store.events,
      "two-factor.succeeded",
      { userId: user.id, ip: client.ip },
      { method: factor.method ?? "webauthn", aal: 2 },
    );
    await alongside?.(store, 2);
    return issued;
  });
  return { kind: "session", ...issued, user: toPublicUser(user) };
}

async function recordFailure(
  ctx: KeywardContext,
  user: User,
  client: ClientInfo,
  method: string,
  error: unknown,
): Promise<void> {
  if (!(error instanceof KeywardError) || error.code === ErrorCode.RATE_LIMITED) return;
  await ctx.events.record(
    ctx.store.events,
    "two-factor.failed",
    { userId: user.id, ip: client.ip },
    { method, reason: error.code },
  );
}

/**
 * Step 2a: the user picks a method. SMS and email send a code bound to this pending state;
 * TOTP and recovery codes need nothing sent; WebAuthn continues with /wan-signin.
 */
export async function selectSecondFactor(
  ctx: KeywardContext,
  input: { state: string; method: SecondFactorMethod },
  client: ClientInfo,
): Promise<{ method: SecondFactorMethod; destination?: string; expiresAt?: number }> {
  const { user } = await pendingSignIn(ctx, input.state);
  const enrolment = await loadEnrolment(ctx, user);
  const factor = requireOffered(ctx, enrolment, input.method);
  if (!factor.select) return { method: input.method };
  const sent = await factor.select(ctx, { user, enrolment, state: input.state }, client);
  return { method: input.method, ...sent };
}

/**
 * Step 2b: a TOTP, SMS or email code completes the sign-in. Attempts are rate-limited per
 * user and IP; each failure is an event. With `rememberDevice` (and the feature on), also
 * returns a token for the remember-this-device cookie.
 */
export async function validateSecondFactor(
  ctx: KeywardContext,
  input: { state: string; method: CodeMethod; code: string; rememberDevice?: boolean },
  client: ClientInfo,
  replacingToken?: string,
): Promise<{ outcome: SessionOutcome; remembered?: { token: string; expiresAt: number } }> {
  const { user } = await pendingSignIn(ctx, input.state);
  const enrolment = await loadEnrolment(ctx, user);
  const factor = requireOffered(ctx, enrolment, input.method);
  if (!isCodeFactor(factor)) {
    throw new KeywardError(
      ErrorCode.TWO_FACTOR_METHOD_NOT_AVAILABLE,
      `"${input.method}" is not proved with a code.`,
    );
  }
  await limitAttempts(ctx, "attempt", { userId: user.id, ip: client.ip });
  try {
    await factor.verify(ctx, { user, enrolment, state: input.state }, input.code);
  } catch (error) {
    await recordFailure(ctx, user, client, input.method, error);
    throw error;
  }
  const outcome = await completeSecondFactor(
    ctx,
    input.state,
    user,
    { method: factor.method, amr: [factor.amr], uv: false, ref: factor.ref },
    client,
    replacingToken,
  );
  if (!input.rememberDevice || !ctx.config.twoFactor.rememberDevice) return { outcome };
  const remembered = rememberToken(ctx, enrolment);
  await ctx.events.record(
    ctx.store.events,
    "two-factor.device-remembered",
    { userId: user.id, ip: client.ip },
    { until: new Date(remembered.expiresAt).toISOString() },
  );
  return { outcome, remembered };
}

/** Step 2b with a recovery code: spends it (single use) and emits an event saying so. */
export async function signInWithRecoveryCode(
  ctx: KeywardContext,
  input: { state: string; code: string },
  client: ClientInfo,
  replacingToken?: string,
): Promise<SessionOutcome> {
  const { user } = await pendingSignIn(ctx, input.state);
  const enrolment = await loadEnrolment(ctx, user);
  requireOffered(ctx, enrolment, "recovery");
  await limitAttempts(ctx, "attempt", { userId: user.id, ip: client.ip });
  let remaining: number;
  try {
    remaining = await spendRecoveryCode(ctx, user.id, input.code);
  } catch (error) {
    await recordFailure(ctx, user, client, "recovery", error);
    throw error;
  }
  const outcome = await completeSecondFactor(
    ctx,
    input.state,
    user,
    { method: "recovery", amr: ["rc"], uv: false, ref: "recovery" },
    client,
    replacingToken,
  );
  await ctx.events.record(
    ctx.store.events,
    "two-factor.recovery-code-used",
    { userId: user.id, ip: client.ip },
    { remaining },
  );
  return outcome;
}

/**
 * Step 2b on a remembered device: the signed cookie stands in for the second factor while
 * it is unexpired and the user's second factors are unchanged since it was issued.
 */
export async function signInWithRememberedDevice(
  ctx: KeywardContext,
  input: { state: string; token: string | undefined },
  client: ClientInfo,
  replacingToken?: string,
): Promise<SessionOutcome> {
  const { user } = await pendingSignIn(ctx, input.state);
  const enrolment = await loadEnrolment(ctx, user);
  if (methodsOf(ctx, enrolment).length === 0 || !isRemembered(ctx, input.token, enrolment)) {
    throw new KeywardError(ErrorCode.TWO_FACTOR_DEVICE_NOT_REMEMBERED);
  }
  return completeSecondFactor(
    ctx,
    input.state,
    user,
    { method: "remembered-device", amr: ["remembered"], uv: false, ref: "remembered" },
    client,
    replacingToken,
  );
}
