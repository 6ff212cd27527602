import type { KeywardContext } from "../context.js";
import { ErrorCode, KeywardError } from "../core/errors.js";
import { hashToken } from "../core/ids.js";
import {
  type Amr,
  type Ceremony,
  earnedWith,
  type FactorRef,
  toPublicUser,
  type User,
} from "../core/types.js";
import { consumeCeremony, peekCeremony, startCeremony } from "../session/ceremony-state.js";
import type { ActiveSession, ClientInfo } from "../session/sessions.js";
import type { SecondFactorChange } from "../store/store.js";
import { limitAttempts } from "./attempts.js";
import { checkCode, sendCode } from "./codes.js";
import {
  assertRemovable,
  type CodeMethod,
  type Enrolment,
  enrolledCodeMethods,
  factorsOf,
  loadEnrolment,
  statusOf,
  type TwoFactorStatus,
} from "./enrolment.js";
import { requireConfigured } from "./methods.js";
import { replaceRecoveryCodes } from "./recovery.js";
import { open, seal } from "./secret-box.js";
import { checkTotp, newTotpSecret, qrSvg, totpUri } from "./totp.js";
import {
  assertSameEpoch,
  pendingFirstFactor,
  pendingSignIn,
  type SessionOutcome,
} from "./two-factor.js";

/**
 * Setting up and removing second factors. A method is enrolled only after the user proves
 * it with a valid code: /tf-setup starts (a TOTP secret, or a code sent by SMS or email),
 * /tf-setup-validate confirms. Who sets up is either a signed-in user (fresh session; AAL2
 * once they have a factor), or a user mid-sign-in whose account must enrol first
 * (`twoFactor.required`), who gets their session when the setup completes.
 */

/** Who is setting up. */
export type Enroller =
  | { kind: "session"; active: ActiveSession }
  | { kind: "pending"; state: string };

export interface SetupInput {
  method: CodeMethod;
  /** E.164 number, for SMS. */
  phone?: string | undefined;
}

export type SetupStart =
  | {
      method: "totp";
      state: string;
      /** Base32, for typing into an app that cannot scan. */
      secret: string;
      otpauthUri: string;
      qrSvg: string;
      expiresAt: number;
    }
  | { method: "sms" | "email"; state: string; destination: string; expiresAt: number };

export type SetupFinish =
  | {
      kind: "enrolled";
      method: CodeMethod;
      status: TwoFactorStatus;
      /** A first set of recovery codes, when the user had none: shown this once. */
      recoveryCodes?: string[];
    }
  | { kind: "signed-in"; method: CodeMethod; outcome: SessionOutcome };

/** The user behind an enroller, checked: a pending state may only enrol a user with no factor. */
async function enrollerUser(
  ctx: KeywardContext,
  who: Enroller,
): Promise<{ user: User; enrolment: Enrolment; pendingHash: string | null }> {
  if (who.kind === "session") {
    const enrolment = await loadEnrolment(ctx, who.active.user);
    return { user: who.active.user, enrolment, pendingHash: null };
  }
  const { pending, user } = await pendingSignIn(ctx, who.state);
  const enrolment = await loadEnrolment(ctx, user);
  // Only a sign-in held back for enrolment may add a factor: otherwise a password alone
  // could enrol the attacker's own authenticator and pass the second step with it.
  if (pending.data.enrol !== true || factorsOf(ctx, enrolment).length > 0) {
    throw new KeywardError(
      ErrorCode.STATE_INVALID,
      "This sign-in is waiting for a second factor, not a new one.",
    );
  }
  return { user, enrolment, pendingHash: hashToken(who.state) };
}

/** Step 1: a TOTP secret to scan, or a code sent to the phone or mailbox to confirm. */
export async function startSetup(
  ctx: KeywardContext,
  who: Enroller,
  input: SetupInput,
  client: ClientInfo,
): Promise<SetupStart> {
  requireConfigured(ctx, input.method);
  if (input.method === "sms" && input.phone === undefined) {
    throw new KeywardError(ErrorCode.INVALID_INPUT, "phone: required for SMS", { field: "phone" });
  }
  const { user, pendingHash } = await enrollerUser(ctx, who);
  const ttlMs = ctx.config.twoFactor.setupWithin;
  const expiresAt = ctx.clock.now() + ttlMs;
  const secret = input.method === "totp" ? newTotpSecret() : undefined;
  const state = await startCeremony(
    ctx,
    {
      kind: "tf-setup",
      userId: user.id,
      sessionId: who.kind === "session" ? who.active.session.id : null,
      data: {
        method: input.method,
        // The secret waits encrypted, like the enrolled one; it never sits in the clear.
        ...(secret ? { secret: seal(ctx.config.secret, user.id, secret) } : {}),
        ...(input.method === "sms" ? { phone: input.phone } : {}),
        ...(pendingHash ? { pending: pendingHash } : {}),
      },
      ttlMs,
    },
    { ip: client.ip, holder: user.id },
  );
  await ctx.record(
    "two-factor.setup-started",
    { userId: user.id, ip: client.ip },
    { method: input.method },
  );
  if (secret) {
    const uri = totpUri(ctx.config.twoFactor.issuer ?? ctx.config.rp.name, user.email, secret);
    return { method: "totp", state, secret, otpauthUri: uri, qrSvg: await qrSvg(uri), expiresAt };
  }
  const channel = input.method as "sms" | "email";
  const sent = await sendCode(
    ctx,
    {
      user,
      channel,
      destination: channel === "sms" ? input.phone! : user.email,
      boundTo: hashToken(state),
      purpose: "setup",
    },
    client,
  );
  return { method: channel, state, destination: sent.destination, expiresAt: sent.expiresAt };
}

/**
 * The authenticator-app setup behind `state` again, unspent (after a wrong code): the same
 * secret and QR code, so the app already scanned keeps working. Undefined when it is gone.
 */
export async function resumeTotpSetup(
  ctx: KeywardContext,
  state: string,
): Promise<{ uri: string; secret: string; qrSvg: string } | undefined> {
  const setup = await peekCeremony(ctx, state, "tf-setup");
  const sealed = setup?.data.secret;
  if (!setup?.userId || setup.data.method !== "totp" || typeof sealed !== "string") {
    return undefined;
  }
  const user = await ctx.store.users.byId(setup.userId);
  if (!user) return undefined;
  const secret = open(ctx.config.secret, user.id, sealed);
  const uri = totpUri(ctx.config.twoFactor.issuer ?? ctx.config.rp.name, user.email, secret);
  return { uri, secret, qrSvg: await qrSvg(uri) };
}

/** The live setup behind `state`, bound to this session (or, for enrolment, to no session). */
async function pendingSetup(
  ctx: KeywardContext,
  state: string,
  active: ActiveSession | undefined,
): Promise<Ceremony> {
  const invalid = () =>
    new KeywardError(ErrorCode.STATE_INVALID, "This setup is unknown or already finished.");
  const setup = await ctx.store.ceremonies.find(hashToken(state), "tf-setup");
  if (!setup?.userId) throw invalid();
  if (setup.sessionId !== null && setup.sessionId !== active?.session.id) throw invalid();
  if (setup.sessionId === null && typeof setup.data.pending !== "string") throw invalid();
  if (setup.expiresAt <= ctx.clock.now()) {
    throw new KeywardError(ErrorCode.STATE_EXPIRED, "This setup has expired; start again.");
  }
  return setup;
}

/** Checks the code against the factor being set up; returns what to save when it is right. */
async function proveNewFactor(
  ctx: KeywardContext,
  setup: Ceremony,
  input: { state: string; code: string },
): Promise<SecondFactorChange> {
  const userId = setup.userId!;
  const method = setup.data.method as CodeMethod;
  if (method === "totp") {
    const sealed = setup.data.secret as string;
    const secret = open(ctx.config.secret, userId, sealed);
    const check = await checkTotp(secret, input.code, ctx.clock.now(), null);
    if (!check.ok) {
      throw new KeywardError(ErrorCode.TWO_FACTOR_CODE_INVALID, "That code is not right.");
    }
    // The confirming code's step counts as used: it cannot then complete a sign-in.
    return { totpSecret: sealed, totpLastStep: check.step };
  }
  const sent = await checkCode(ctx, {
    userId,
    boundTo: hashToken(input.state),
    channel: method,
    code: input.code,
  });
  return method === "sms" ? { phone: sent.destination } : { emailEnabled: true };
}

/**
 * Step 2: the code proves the new factor works; only then is it saved. The setup state is
 * spent on success; a wrong code leaves it for another try (attempts are rate-limited).
 */
export async function finishSetup(
  ctx: KeywardContext,
  active: ActiveSession | undefined,
  input: { state: string; code: string },
  client: ClientInfo,
  replacingToken?: string,
  /** The pending sign-in this browser holds (its cookie), for an enrolment at sign-in. */
  heldPending?: string,
): Promise<SetupFinish> {
  const setup = await pendingSetup(ctx, input.state, active);
  // Enrolment at sign-in finishes only in the browser whose sign-in is waiting for it.
  if (
    setup.sessionId === null &&
    (heldPending === undefined || hashToken(heldPending) !== setup.data.pending)
  ) {
    throw new KeywardError(
      ErrorCode.STATE_INVALID,
      "This sign-in was started in another browser; sign in again here.",
    );
  }
  const userId = setup.userId!;
  const method = setup.data.method as CodeMethod;
  const user = await ctx.store.users.byId(userId);
  if (!user?.active) {
    throw new KeywardError(ErrorCode.ACCOUNT_INACTIVE, "This account is disabled.");
  }
  const before = await loadEnrolment(ctx, user);
  // Enrolment at sign-in stands in for a second factor only while the account has none.
  if (setup.sessionId === null && factorsOf(ctx, before).length > 0) {
    throw new KeywardError(ErrorCode.STATE_INVALID, "This account already has a second factor.");
  }
  await limitAttempts(ctx, "attempt", { userId, ip: client.ip });

  let change: SecondFactorChange;
  try {
    change = await proveNewFactor(ctx, setup, input);
  } catch (error) {
    if (error instanceof KeywardError) {
      await ctx.record(
        "two-factor.setup-failed",
        { userId, ip: client.ip },
        { method, reason: error.code },
      );
    }
    throw error;
  }

  await consumeCeremony(ctx, input.state, {
    kind: "tf-setup",
    ...(setup.sessionId !== null ? { sessionId: setup.sessionId } : {}),
  });
  // Enrolment at sign-in: the held-back sign-in is spent now, so it completes exactly once.
  let pending: Ceremony | undefined;
  if (setup.sessionId === null) {
    pending = await ctx.store.ceremonies.consume(setup.data.pending as string, "second-factor");
    if (!pending || pending.userId !== userId) {
      throw new KeywardError(ErrorCode.STATE_INVALID, "This sign-in is unknown or already used.");
    }
    if (pending.expiresAt <= ctx.clock.now()) {
      throw new KeywardError(ErrorCode.STATE_EXPIRED, "This sign-in has expired; start again.");
    }
    assertSameEpoch(pending, user);
  }
  // The first factor set up becomes the primary one, offered first at sign-in.
  if (before.settings.primaryMethod === null || factorsOf(ctx, before).length === 0) {
    change.primaryMethod = method;
  }

  // A new TOTP secret or phone number replaces the enrolled one: the old factor is removed,
  // and what it earned ends with it, but for the session that just proved the new one.
  const replaced =
    (method === "totp" && before.settings.totpSecret !== null) ||
    (method === "sms" && before.settings.phone !== null && before.settings.phone !== change.phone);

  return ctx.transaction(async (tx) => {
    await tx.secondFactors.change(userId, change);
    const sessionsRevoked =
      replaced && setup.sessionId !== null
        ? await tx.sessions.deleteEarnedBy(userId, [method, "remembered"], setup.sessionId)
        : 0;
    await tx.record("two-factor.enabled", { userId, ip: client.ip }, { method, sessionsRevoked });
    if (!pending) {
      // Whoever turns on a second factor gets recovery codes with it, shown this once: a
      // session that just enrolled is AAL1 and could not generate them on its own.
      const recoveryCodes =
        before.recoveryCodesLeft === 0
          ? await replaceRecoveryCodes(ctx, tx, userId, client, setup.sessionId!)
          : undefined;
      const enrolment = await loadEnrolment({ ...ctx, store: tx }, user);
      return {
        kind: "enrolled",
        method,
        status: statusOf(ctx, enrolment),
        ...(recoveryCodes ? { recoveryCodes } : {}),
      };
    }
    const firstAmr = (pending.data.amr as Amr[] | undefined) ?? [];
    const amr: Amr = method === "totp" ? "otp" : method;
    const issued = await ctx.sessions.issue(
      tx,
      user,
      {
        amr: [...firstAmr, amr],
        aal: 2,
        uv: pending.data.uv === true,
        earnedBy: { first: pendingFirstFactor(pending), second: method },
      },
      client,
      replacingToken,
    );
    await tx.record("two-factor.succeeded", { userId, ip: client.ip }, { method, aal: 2 });
    return {
      kind: "signed-in",
      method,
      outcome: { kind: "session", ...issued, user: toPublicUser(user) },
    };
  });
}

/**
 * Removes code-based second factors: `only` one of them, or all. Policy may refuse
 * (`twoFactor.required`, `twoFactor.requireRoamingFactor`). With no factor left, the recovery
 * codes go too: they would recover nothing. The sessions the removed factors earned end;
 * `signedOut` says the current one was among them.
 */
export async function disableSecondFactors(
  ctx: KeywardContext,
  active: ActiveSession,
  only: CodeMethod | undefined,
  client: ClientInfo,
): Promise<{ status: TwoFactorStatus; signedOut: boolean }> {
  const enrolment = await loadEnrolment(ctx, active.user);
  const { settings } = enrolment;
  const enrolled = enrolledCodeMethods(settings);
  const removing = only === undefined ? enrolled : enrolled.filter((m) => m === only);
  if (removing.length === 0) {
    throw new KeywardError(
      ErrorCode.TWO_FACTOR_NOT_ENROLLED,
      only === undefined ? "No second factor to disable." : `"${only}" is not set up.`,
    );
  }
  assertRemovable(ctx, enrolment, (factor) => (removing as string[]).includes(factor.method));

  const change: SecondFactorChange = {};
  if (removing.includes("totp")) change.totpSecret = null;
  if (removing.includes("sms")) change.phone = null;
  if (removing.includes("email")) change.emailEnabled = false;
  const left = factorsOf(ctx, enrolment).filter((f) => !(removing as string[]).includes(f.method));
  if (removing.includes(settings.primaryMethod as CodeMethod)) {
    change.primaryMethod = left[0]?.method ?? null;
  }

  // What the removed methods earned ends with them, this session included; so does what a
  // remembered device earned (it may have stood in for one of them), and with the last factor
  // gone, what the recovery codes earned.
  const earned: FactorRef[] = [
    ...removing,
    "remembered",
    ...(left.length === 0 ? ["recovery" as const] : []),
  ];
  return ctx.transaction(async (tx) => {
    await tx.secondFactors.change(active.user.id, change);
    if (left.length === 0) await tx.recoveryCodes.deleteForUser(active.user.id);
    const sessionsRevoked = await tx.sessions.deleteEarnedBy(active.user.id, earned);
    await tx.record(
      "two-factor.disabled",
      { userId: active.user.id, ip: client.ip },
      { methods: removing, sessionsRevoked },
    );
    return {
      status: statusOf(ctx, await loadEnrolment({ ...ctx, store: tx }, active.user)),
      signedOut: earnedWith(active.session.earnedBy, earned),
    };
  });
}

/** The signed-in user's second factors, with warnings. */
export async function twoFactorStatus(
  ctx: KeywardContext,
  active: ActiveSession,
): Promise<TwoFactorStatus> {
  return statusOf(ctx, await loadEnrolment(ctx, active.user));
}
