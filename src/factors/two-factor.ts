import { recordingRefusals, type SignInAttempt } from "../account/refusals.js";
import type { KeywardContext, UnitOfWork } from "../context.js";
import { refuseLocked } from "../core/account-lock.js";
import type { Caller, ClientInfo } from "../core/caller.js";
import { ErrorCode, KeywardError } from "../core/errors.js";
import type { SignInMethod } from "../core/events.js";
import { constantTimeEqual, hashToken, randomToken } from "../core/ids.js";
import type { Aal, Amr, CeremonyOf, FactorRef, PublicUser, Session, User } from "../core/types.js";
import { toPublicUser } from "../core/types.js";
import { consumeCeremony, peekCeremony, startCeremony } from "../session/ceremony-state.js";
import type { EarnedAssurance } from "../session/sessions.js";
import { limitAttempts } from "./attempts.js";
import { type Enrolment, loadEnrolment } from "./enrolment.js";
import { enrolmentMethods, methodsOf, requireOffered } from "./methods.js";
import { spendRecoveryCode } from "./recovery.js";
import { isCodeFactor, type SecondFactorMethod } from "./registry.js";
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
  /** The user's "remember me": false asks for a browser session. Default: true. */
  persistent?: boolean;
}

/** A second factor still owed; a bearer client also gets the pending token that continues it. */
export interface SecondFactorOwed {
  kind: "second-factor";
  state: string;
  methods: SecondFactorMethod[];
  /** With no method yet (`twoFactor.required`): what this sign-in may enrol with /tf-setup. */
  setupMethods?: string[];
  pendingToken?: string;
}

export type SignInOutcome =
  | {
      kind: "session";
      token: string;
      session: Session;
      user: PublicUser;
      /** The user asked to remember this browser after a second factor: its cookie. */
      remembered?: RememberedDevice;
    }
  | SecondFactorOwed;

export type SessionOutcome = Extract<SignInOutcome, { kind: "session" }>;

/**
 * The second factors this user has enrolled and the configuration offers, but the one that
 * proved `firstFactor` (see methodsOf).
 */
export async function secondFactorMethods(
  ctx: KeywardContext,
  user: User,
  firstFactor: FactorRef | null = null,
): Promise<SecondFactorMethod[]> {
  return methodsOf(ctx, await loadEnrolment(ctx, user), firstFactor);
}

/**
 * What a factor earned, decided before anything is written: a session with this assurance, or
 * a second factor still owed (its pending state already started). `commitSignin` writes it,
 * in the unit of work of the caller, which adds what belongs with it (a key's use, an event).
 */
export type SigninStep =
  | (SecondFactorOwed & { user: User })
  | {
      kind: "session";
      user: User;
      assurance: EarnedAssurance;
      /** The user's "remember me" (see Session.persistent). */
      persistent: boolean;
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
  caller: Caller,
): Promise<SigninStep> {
  refuseLocked(user, ctx.clock.now());
  if (!factor.multiFactor) {
    const methods = await secondFactorMethods(ctx, user, factor.ref);
    const owed = await secondFactorOwed(ctx, user, factor, methods, caller.client);
    const mustEnrol = owed && methods.length === 0;
    if (owed) {
      // A bearer client has no cookie to bind the state to: it gets a token that does.
      const pendingToken = caller.carrier === "bearer" ? randomToken(32) : undefined;
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
            ...(factor.persistent === false ? { persistent: false } : {}),
            ...(pendingToken ? { holder: hashToken(pendingToken) } : {}),
          },
          ttlMs: ctx.config.twoFactor.pendingWithin,
        },
        // The first factor is proved: the user answers for this state (and its pool in memory).
        { ip: caller.client.ip, holder: user.id },
      );
      return {
        kind: "second-factor",
        user,
        state,
        methods,
        ...(mustEnrol ? { setupMethods: enrolmentMethods(ctx, factor.ref) } : {}),
        ...(pendingToken ? { pendingToken } : {}),
      };
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
    persistent: factor.persistent ?? true,
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
 * Writes what a sign-in step earned on `tx`: the session (replacing the one the caller
 * carries) and its event, or the event saying a second factor is owed. The level reached is
 * `outcome.session.aal`, or 1 while a second factor is owed (see `signinAal`).
 */
export async function commitSignin(
  ctx: KeywardContext,
  tx: UnitOfWork,
  step: SigninStep,
  caller: Caller,
): Promise<SignInOutcome> {
  const who = { userId: step.user.id, ip: caller.client.ip };
  if (step.kind === "second-factor") {
    await tx.record("two-factor.required", who, { methods: step.methods });
    const { user: _user, ...owed } = step;
    return owed;
  }
  const issued = await ctx.sessions.issue(tx, step.user, step.assurance, caller, step.persistent);
  if (step.secondFactor !== undefined) {
    await tx.record("two-factor.succeeded", who, { method: step.secondFactor, aal: 2 });
  }
  await recordSignIn(tx, issued.session, caller.client, step.secondFactor ?? null);
  return { kind: "session", ...issued, user: toPublicUser(step.user) };
}

/** The level a sign-in step reaches: its session's, or 1 while a second factor is owed. */
export function signinAal(step: SigninStep): Aal {
  return step.kind === "session" ? step.assurance.aal : 1;
}

/**
 * Whether `caller` holds the pending sign-in stored under `stateHash`, the client that proved
 * its first factor: a browser by its pending cookie (which must name this state), a bearer
 * client by the pending token it was given. Either kind of state is held only by its own
 * kind of client, so a state string relayed elsewhere, even into a cookie or beside another
 * token, completes nothing. A code sign-in's state is a browser's only. An unknown state is
 * left for the feature to refuse as such.
 */
export async function holdsPendingSignIn(
  ctx: KeywardContext,
  stateHash: string,
  caller: Caller,
): Promise<boolean> {
  const { heldPending, bearer } = caller;
  if (caller.carrier === "cookie") {
    if (heldPending === undefined || hashToken(heldPending) !== stateHash) return false;
  } else if (bearer === undefined) {
    return false;
  }
  const pending = await ctx.store.ceremonies.find(stateHash, "second-factor");
  if (!pending) {
    // A code sign-in (account/code-signin.ts) is held by the browser that asked for it, by
    // its pending cookie, and by nothing else: it gives out no pending token, so no bearer
    // holds one.
    if (caller.carrier === "cookie") return true;
    return !(await ctx.store.ceremonies.find(stateHash, "code-signin"));
  }
  const { holder } = pending.data;
  if (caller.carrier === "cookie") return holder === undefined;
  return holder !== undefined && constantTimeEqual(hashToken(bearer!), holder);
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
  return user ? secondFactorMethods(ctx, user, pendingFirstFactor(pending)) : undefined;
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

/** A second factor proved for the pending sign-in behind `state`, by `user`. */
export interface SecondFactorProof {
  state: string;
  user: User;
  /** What was proved; `method` defaults to "webauthn" (the caller in webauthn/signin.ts). */
  factor: { amr: Amr[]; uv: boolean; method?: string; ref: FactorRef };
}

/**
 * A second factor was proved for `user`: spend the pending state (it must be this user's);
 * the step is the AAL2 session, recording both factors.
 */
export async function afterSecondFactor(
  ctx: KeywardContext,
  { state: pendingState, user, factor }: SecondFactorProof,
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
    persistent: pending.data.persistent !== false,
    secondFactor: factor.method ?? "webauthn",
  };
}

/** A second factor, then the session it completes, in one unit of work. */
export async function completeSecondFactor(
  ctx: KeywardContext,
  proof: SecondFactorProof,
  caller: Caller,
): Promise<SessionOutcome> {
  const step = await afterSecondFactor(ctx, proof);
  return ctx.transaction((tx) => commitSignin(ctx, tx, step, caller) as Promise<SessionOutcome>);
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
  caller: Caller,
  failed: { user: User; method: string },
  error: unknown,
): Promise<void> {
  if (!(error instanceof KeywardError) || error.code === ErrorCode.RATE_LIMITED) return;
  await ctx.record(
    "two-factor.failed",
    { userId: failed.user.id, ip: caller.client.ip },
    { method: failed.method, reason: error.code },
  );
}

/** What picking a method at /tf-select started, and how the user completes it. */
export interface Selected {
  method: SecondFactorMethod;
  /** A key ceremony, a code the user has, a code sent, or an approval to wait for. */
  prompt: "key" | "code" | "send" | "approval";
  destination?: string;
  expiresAt?: number;
}

/**
 * Step 2a: the user picks a method. SMS and email send a code bound to this pending state, an
 * app's factor does what its `select` does (a push sent); TOTP and recovery codes need nothing
 * sent; WebAuthn continues with /wan-signin.
 */
export async function selectSecondFactor(
  ctx: KeywardContext,
  input: { state: string; method: SecondFactorMethod },
  caller: Caller,
): Promise<Selected> {
  const { pending, user } = await pendingSignIn(ctx, input.state);
  const enrolment = await loadEnrolment(ctx, user);
  const factor = requireOffered(ctx, enrolment, input.method, pendingFirstFactor(pending));
  const selected = { method: factor.method, prompt: factor.prompt };
  if (!factor.select) return selected;
  const sent = await factor.select(ctx, { user, enrolment, state: input.state }, caller.client);
  return { ...selected, ...sent };
}

/**
 * Step 2b: a TOTP, SMS or email code, or an app factor's code or approval, completes the
 * sign-in. Attempts are rate-limited per user and IP; each failure is an event. An approval
 * not given yet (TWO_FACTOR_APPROVAL_PENDING) is no failure: its attempt is refunded, and
 * the client asks again. With `rememberDevice` (and the feature on), the outcome also carries
 * a token for the remember-this-device cookie.
 */
export async function validateSecondFactor(
  ctx: KeywardContext,
  input: {
    state: string;
    method: SecondFactorMethod;
    /** The code typed; undefined only for an approval. */
    code: string | undefined;
    rememberDevice?: boolean;
  },
  caller: Caller,
): Promise<SessionOutcome> {
  const { client } = caller;
  return secondStepRefusals(ctx, input.state, input.method, client, async (attempt) => {
    const { pending, user } = await pendingSignIn(ctx, input.state);
    attempt.userId = user.id;
    const enrolment = await loadEnrolment(ctx, user);
    const factor = requireOffered(ctx, enrolment, input.method, pendingFirstFactor(pending));
    if (!isCodeFactor(factor)) {
      throw new KeywardError(
        ErrorCode.TWO_FACTOR_METHOD_NOT_AVAILABLE,
        `"${input.method}" is not proved with a code.`,
      );
    }
    if (input.code === undefined && factor.prompt !== "approval") {
      throw new KeywardError(ErrorCode.INVALID_INPUT, "code: required", { field: "code" });
    }
    const reserved = await limitAttempts(ctx, "attempt", { userId: user.id, ip: client.ip });
    try {
      await factor.verify(ctx, { user, enrolment, state: input.state }, input.code, client);
    } catch (error) {
      if (error instanceof KeywardError && error.code === ErrorCode.TWO_FACTOR_APPROVAL_PENDING) {
        await reserved.refund();
        throw error;
      }
      await recordFailure(ctx, caller, { user, method: input.method }, error);
      throw error;
    }
    const outcome = await completeSecondFactor(
      ctx,
      {
        state: input.state,
        user,
        factor: { method: factor.method, amr: [factor.amr], uv: false, ref: factor.ref },
      },
      caller,
    );
    const remembered = input.rememberDevice
      ? await rememberThisDevice(ctx, user, client, enrolment)
      : undefined;
    return remembered ? { ...outcome, remembered } : outcome;
  });
}
/** A remember-this-device cookie's value, and until when it vouches for this browser. */
export interface RememberedDevice {
  token: string;
  expiresAt: number;
}

/**
 * The user proved a second factor (a code, a recovery code or a key) and asked to remember
 * this browser: the token for its cookie, and the event saying so. Undefined when
 * `twoFactor.rememberDevice` is off.
 */
export async function rememberThisDevice(
  ctx: KeywardContext,
  user: User,
  client: ClientInfo,
  enrolment?: Enrolment,
): Promise<RememberedDevice | undefined> {
  if (!ctx.config.twoFactor.rememberDevice) return undefined;
  const remembered = rememberToken(ctx, enrolment ?? (await loadEnrolment(ctx, user)));
  await ctx.record(
    "two-factor.device-remembered",
    { userId: user.id, ip: client.ip },
    { until: new Date(remembered.expiresAt).toISOString() },
  );
  return remembered;
}

/** Step 2b with a recovery code: spends it (single use) and emits an event saying so. */
export async function signInWithRecoveryCode(
  ctx: KeywardContext,
  input: { state: string; code: string },
  caller: Caller,
): Promise<SessionOutcome> {
  const { client } = caller;
  return secondStepRefusals(ctx, input.state, "recovery", client, async (attempt) => {
    const { pending, user } = await pendingSignIn(ctx, input.state);
    attempt.userId = user.id;
    const enrolment = await loadEnrolment(ctx, user);
    requireOffered(ctx, enrolment, "recovery", pendingFirstFactor(pending));
    await limitAttempts(ctx, "attempt", { userId: user.id, ip: client.ip });
    let remaining: number;
    try {
      remaining = await spendRecoveryCode(ctx, user.id, input.code);
    } catch (error) {
      await recordFailure(ctx, caller, { user, method: "recovery" }, error);
      throw error;
    }
    const step = await afterSecondFactor(ctx, {
      state: input.state,
      user,
      factor: { method: "recovery", amr: ["rc"], uv: false, ref: "recovery" },
    });
    return ctx.transaction(async (tx) => {
      const outcome = await commitSignin(ctx, tx, step, caller);
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
  caller: Caller,
): Promise<SessionOutcome> {
  return secondStepRefusals(
    ctx,
    input.state,
    "remembered-device",
    caller.client,
    async (attempt) => {
      const { pending, user } = await pendingSignIn(ctx, input.state);
      attempt.userId = user.id;
      const enrolment = await loadEnrolment(ctx, user);
      const methods = methodsOf(ctx, enrolment, pendingFirstFactor(pending));
      if (methods.length === 0 || !isRemembered(ctx, input.token, enrolment)) {
        throw new KeywardError(ErrorCode.TWO_FACTOR_DEVICE_NOT_REMEMBERED);
      }
      return completeSecondFactor(
        ctx,
        {
          state: input.state,
          user,
          factor: {
            method: "remembered-device",
            amr: ["remembered"],
            uv: false,
            ref: "remembered",
          },
        },
        caller,
      );
    },
  );
}
