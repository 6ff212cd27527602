import { recordingRefusals, type SignInAttempt } from "../account/refusals.js";
import type { KeywardContext, UnitOfWork } from "../context.js";
import { refuseLocked } from "../core/account-lock.js";
import { ErrorCode, KeywardError } from "../core/errors.js";
import type { SignInMethod } from "../core/events.js";
import { hashToken } from "../core/ids.js";
import type { Aal, Amr, CeremonyOf, FactorRef, PublicUser, Session, User } from "../core/types.js";
import { toPublicUser } from "../core/types.js";
import { consumeCeremony, peekCeremony, startCeremony } from "../session/ceremony-state.js";
import type { ClientInfo, EarnedAssurance } from "../session/sessions.js";
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

/** The second factors this user has enrolled and the configuration offers. */
export async function secondFactorMethods(
  ctx: KeywardContext,
  user: User,
): Promise<SecondFactorMethod[]> {
  return methodsOf(ctx, await loadEnrolment(ctx, user));
}

/**
 * What a factor earned, decided before anything is written: a session with this assurance, or
 * a second factor still owed (its pending state already started). `commitSignin` writes it,
 * in the unit of work of the caller, which adds what belongs with it (a key's use, an event).
 */
export type SigninStep =
  | { kind: "second-factor"; user: User; state: string; methods: SecondFactorMethod[] }
  | {
      kind: "session";
      user: User;
      assurance: EarnedAssurance;
      /** Set when a second factor completed the sign-in (its `two-factor.succeeded` method). */
      secondFactor?: string;
    };

/**
 * After a first factor: either the session is earned now, or the user must complete a second
 * factor first (a server-side pending state, started here; no session is issued until then).
 * With `twoFactor.required`, a user without a second factor gets a pending state with no
 * methods: it can only be used to enrol one (POST /tf-setup with the state).
 */
export async function afterFirstFactor(
  ctx: KeywardContext,
  user: User,
  factor: FirstFactor,
  client: ClientInfo,
): Promise<SigninStep> {
  refuseLocked(user, ctx.clock.now());
  if (!factor.multiFactor) {
    const methods = await secondFactorMethods(ctx, user);
    const owed = await secondFactorOwed(ctx, user, factor, methods, client);
    const mustEnrol = owed && methods.length === 0;
    if (owed) {
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
      return { kind: "second-factor", user, state, methods };
    }
  }
  return {
    kind: "session",
    user,
    assurance: {
      amr: factor.multiFactor ? [...factor.amr, "mfa"] : factor.amr,
      aal: factor.multiFactor ? 2 : 1,
      uv: factor.uv,
      earnedBy: { first: factor.ref, second: null },
    },
  };
}

/**
 * Whether this sign-in owes a second factor: the app's `policy.secondFactorRequired` when it
 * answers, otherwise whenever the account has one enrolled, or must have one
 * (`twoFactor.required`). The one place a sign-in's second step is decided.
 */
async function secondFactorOwed(
  ctx: KeywardContext,
  user: User,
  factor: FirstFactor,
  methods: SecondFactorMethod[],
  client: ClientInfo,
): Promise<boolean> {
  const decided = await ctx.policy.secondFactorRequired?.({
    user: toPublicUser(user),
    amr: [...factor.amr],
    enrolled: methods.filter((method) => method !== "recovery"),
    ip: client.ip,
    userAgent: client.userAgent,
  });
  return decided ?? (methods.length > 0 || ctx.config.twoFactor.required);
}

/** How the first step of a session was made, from what it recorded (`user.login`'s method). */
export function signInMethodOf(first: FactorRef | null): SignInMethod {
  if (first === null) return "sign-up";
  if (first.startsWith("key:")) return "webauthn";
  if (first === "email" || first === "sms") return first;
  return "password";
}

/**
 * The `user.login` event of a session just issued: every sign-in writes exactly one, with the
 * session, whichever way it came (commitSignin, enrolment at sign-in, sign-up).
 */
export async function recordSignIn(
  tx: UnitOfWork,
  session: Session,
  client: ClientInfo,
  secondFactor: string | null,
  method: SignInMethod = signInMethodOf(session.earnedBy.first),
): Promise<void> {
  await tx.record(
    "user.login",
    { userId: session.userId, ip: client.ip },
    { method, factors: [...session.amr], aal: session.aal, secondFactor },
  );
}

/**
 * Writes what a sign-in step earned on `tx`: the session (replacing `replacingToken`'s) and
 * its event, or the event saying a second factor is owed. The level reached is
 * `outcome.session.aal`, or 1 while a second factor is owed (see `signinAal`).
 */
export async function commitSignin(
  ctx: KeywardContext,
  tx: UnitOfWork,
  step: SigninStep,
  client: ClientInfo,
  replacingToken?: string,
): Promise<SignInOutcome> {
  const who = { userId: step.user.id, ip: client.ip };
  if (step.kind === "second-factor") {
    await tx.record("two-factor.required", who, { methods: step.methods });
    return { kind: "second-factor", state: step.state, methods: step.methods };
  }
  const issued = await ctx.sessions.issue(tx, step.user, step.assurance, client, replacingToken);
  if (step.secondFactor !== undefined) {
    await tx.record("two-factor.succeeded", who, { method: step.secondFactor, aal: 2 });
  }
  await recordSignIn(tx, issued.session, client, step.secondFactor ?? null);
  return { kind: "session", ...issued, user: toPublicUser(step.user) };
}

/** The level a sign-in step reaches: its session's, or 1 while a second factor is owed. */
export function signinAal(step: SigninStep): Aal {
  return step.kind === "session" ? step.assurance.aal : 1;
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
 * The methods the pending sign-in behind `state` can be completed with (what the second-factor
 * pages offer), without spending it; undefined when it is gone.
 */
export async function pendingMethods(
  ctx: KeywardContext,
  state: string,
): Promise<SecondFactorMethod[] | undefined> {
  const pending = await peekCeremony(ctx, state, "second-factor");
  if (!pending?.userId) return undefined;
  const user = await ctx.store.users.byId(pending.userId);
  return user ? secondFactorMethods(ctx, user) : undefined;
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
  refuseLocked(user, ctx.clock.now());
  assertSameEpoch(pending, user);
  return { pending, user };
}

/**
 * A second factor was proved for `user`: spend the pending state (it must be this user's);
 * the step is the AAL2 session, recording both factors. `method` defaults to "webauthn"
 * (the caller in webauthn/signin.ts).
 */
export async function afterSecondFactor(
  ctx: KeywardContext,
  pendingState: string,
  user: User,
  factor: { amr: Amr[]; uv: boolean; method?: string; ref: FactorRef },
): Promise<Extract<SigninStep, { kind: "session" }>> {
  const wrongUser = () => new KeywardError(ErrorCode.STATE_INVALID);
  // Look before spending: another user's factor must not burn this user's pending state.
  const peeked = await ctx.store.ceremonies.find(hashToken(pendingState), "second-factor");
  if (peeked && peeked.userId !== user.id) throw wrongUser();
  refuseLocked(user, ctx.clock.now());
  const pending = await consumeCeremony(ctx, pendingState, { kind: "second-factor" });
  if (pending.userId !== user.id) throw wrongUser();
  assertSameEpoch(pending, user);
  return {
    kind: "session",
    user,
    assurance: {
      amr: [...pending.data.amr, ...factor.amr],
      aal: 2,
      uv: pending.data.uv || factor.uv,
      earnedBy: { first: pendingFirstFactor(pending), second: factor.ref },
    },
    secondFactor: factor.method ?? "webauthn",
  };
}

/** A second factor, then the session it completes, in one unit of work. */
export async function completeSecondFactor(
  ctx: KeywardContext,
  pendingState: string,
  user: User,
  factor: { amr: Amr[]; uv: boolean; method?: string; ref: FactorRef },
  client: ClientInfo,
  replacingToken?: string,
): Promise<SessionOutcome> {
  const step = await afterSecondFactor(ctx, pendingState, user, factor);
  return ctx.transaction(
    (tx) => commitSignin(ctx, tx, step, client, replacingToken) as Promise<SessionOutcome>,
  );
}

/**
 * Runs one attempt at a sign-in's second step; a refusal is recorded (`user.login-failed`,
 * for the pending sign-in's user when the state names one) and seen by the app's policy.
 */
function secondStepRefusals<T>(
  ctx: KeywardContext,
  state: string,
  method: string,
  client: ClientInfo,
  run: (attempt: SignInAttempt) => Promise<T>,
): Promise<T> {
  return recordingRefusals(ctx, { method, stage: "second-factor", client }, async (attempt) => {
    try {
      return await run(attempt);
    } catch (error) {
      attempt.userId ??=
        (await ctx.store.ceremonies.find(hashToken(state), "second-factor"))?.userId ?? null;
      throw error;
    }
  });
}

async function recordFailure(
  ctx: KeywardContext,
  user: User,
  client: ClientInfo,
  method: string,
  error: unknown,
): Promise<void> {
  if (!(error instanceof KeywardError) || error.code === ErrorCode.RATE_LIMITED) return;
  await ctx.record(
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
  return secondStepRefusals(ctx, input.state, input.method, client, async (attempt) => {
    const { user } = await pendingSignIn(ctx, input.state);
    attempt.userId = user.id;
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
    await ctx.record(
      "two-factor.device-remembered",
      { userId: user.id, ip: client.ip },
      { until: new Date(remembered.expiresAt).toISOString() },
    );
    return { outcome, remembered };
  });
}

/** Step 2b with a recovery code: spends it (single use) and emits an event saying so. */
export async function signInWithRecoveryCode(
  ctx: KeywardContext,
  input: { state: string; code: string },
  client: ClientInfo,
  replacingToken?: string,
): Promise<SessionOutcome> {
  return secondStepRefusals(ctx, input.state, "recovery", client, async (attempt) => {
    const { user } = await pendingSignIn(ctx, input.state);
    attempt.userId = user.id;
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
    const step = await afterSecondFactor(ctx, input.state, user, {
      method: "recovery",
      amr: ["rc"],
      uv: false,
      ref: "recovery",
    });
    return ctx.transaction(async (tx) => {
      const outcome = await commitSignin(ctx, tx, step, client, replacingToken);
      await tx.record(
        "two-factor.recovery-code-used",
        { userId: user.id, ip: client.ip },
        { remaining },
      );
      return outcome as SessionOutcome;
    });
  });
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
  return secondStepRefusals(ctx, input.state, "remembered-device", client, async (attempt) => {
    const { user } = await pendingSignIn(ctx, input.state);
    attempt.userId = user.id;
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
  });
}
