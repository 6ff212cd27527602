import type { KeywardContext } from "../context.js";
import type { ActiveSession, Caller } from "../core/caller.js";
import { ErrorCode, KeywardError } from "../core/errors.js";
import { hashToken } from "../core/ids.js";
import {
  type CeremonyOf,
  earnedWith,
  type FactorRef,
  toPublicUser,
  type User,
} from "../core/types.js";
import { consumeCeremony, peekCeremony, startCeremony } from "../session/ceremony-state.js";
import type { SecondFactorChange } from "../store/store.js";
import { limitAttempts } from "./attempts.js";
import {
  assertRemovable,
  type Enrolment,
  factorsOf,
  loadEnrolment,
  statusOf,
  type TwoFactorStatus,
} from "./enrolment.js";
import { enrolmentMethods, isKeyUsageEnabled, requireConfigured } from "./methods.js";
import { reachableAal } from "./reach.js";
import { replaceRecoveryCodes } from "./recovery.js";
import {
  disableAppFactors,
  heldMethods,
  isBuiltInSetupMethod,
  isSetupFactor,
  removalOf,
  type SecondFactorMethod,
  type SetupFactor,
  type SetupMethod,
} from "./registry.js";
import type { SecondFactor, SetupOffer } from "./second-factor.js";
import { open } from "./secret-box.js";
import { qrSvg, totpUri } from "./totp.js";
import {
  assertSameEpoch,
  holdsPendingSignIn,
  type PendingSignIn,
  pendingFirstFactor,
  pendingSignIn,
  recordSignIn,
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

/** The method to set up, and the fields it needs (`FactorSetup.fields`: SMS takes `phone`). */
export interface SetupInput {
  /** A built-in method (totp, sms, email) or an app's own factor that has `setup`. */
  method: string;
  [field: string]: unknown;
}

/**
 * A started setup: its state, until when it is good, and what the method gives the user (a
 * TOTP secret in Base32, for typing into an app that cannot scan, its URI and QR code; or
 * where a code was sent).
 */
export type SetupStart = { method: string; state: string; expiresAt: number } & SetupOffer;

export type SetupFinish =
  | {
      kind: "enrolled";
      method: string;
      status: TwoFactorStatus;
      /** A first set of recovery codes, when the user had none: shown this once. */
      recoveryCodes?: string[];
    }
  | { kind: "signed-in"; method: string; outcome: SessionOutcome };

/**
 * The user behind an enroller, checked: a pending state may only enrol a user with no factor,
 * and only with a method the enrolment offers (`enrolmentMethods`).
 */
async function enrollerUser(
  ctx: KeywardContext,
  who: Enroller,
  method: string,
): Promise<{ user: User; enrolment: Enrolment; pendingHash: string | null }> {
  if (who.kind === "session") {
    const enrolment = await loadEnrolment(ctx, who.active.user);
    return { user: who.active.user, enrolment, pendingHash: null };
  }
  const { pending, user } = await pendingSignIn(ctx, who.state);
  const enrolment = await loadEnrolment(ctx, user);
  // Only a sign-in held back for enrolment may add a factor: otherwise a password alone
  // could enrol the attacker's own authenticator and pass the second step with it. Nor may an
  // account that reaches AAL2 without one (a passkey that verifies its user): adding a factor
  // there needs that AAL2 (DESIGN §6.11).
  if (
    pending.data.enrol !== true ||
    factorsOf(ctx, enrolment).length > 0 ||
    (await reachableAal(ctx, user)) > 1
  ) {
    throw new KeywardError(
      ErrorCode.STATE_INVALID,
      "This sign-in is waiting for a second factor, not a new one.",
    );
  }
  const offered = enrolmentMethods(ctx, pendingFirstFactor(pending));
  if (!offered.includes(method)) {
    throw new KeywardError(
      ErrorCode.TWO_FACTOR_METHOD_NOT_AVAILABLE,
      `"${method}" proved this sign-in's first step; set up another method.`,
      { methods: offered },
    );
  }
  return { user, enrolment, pendingHash: hashToken(who.state) };
}

/** Step 1: a TOTP secret to scan, or a code sent to the phone or mailbox to confirm. */
export async function startSetup(
  ctx: KeywardContext,
  who: Enroller,
  input: SetupInput,
  caller: Caller,
): Promise<SetupStart> {
  const { client } = caller;
  const factor = setupFactor(requireConfigured(ctx, input.method));
  for (const field of Object.keys(factor.setup.fields ?? {})) {
    if (input[field] === undefined) {
      throw new KeywardError(ErrorCode.INVALID_INPUT, `${field}: required`, { field });
    }
  }
  const { user, pendingHash } = await enrollerUser(ctx, who, factor.method);
  const ttlMs = ctx.config.twoFactor.setupWithin;
  const expiresAt = ctx.clock.now() + ttlMs;
  const begun = await factor.setup.begin(ctx, user, { ...input });
  const state = await startCeremony(
    ctx,
    {
      kind: "tf-setup",
      userId: user.id,
      sessionId: who.kind === "session" ? who.active.session.id : null,
      data: {
        method: factor.method,
        ...begun.data,
        ...(pendingHash ? { pending: pendingHash } : {}),
      },
      ttlMs,
    },
    { ip: client.ip, holder: user.id },
  );
  await ctx.record(
    "two-factor.setup-started",
    { userId: user.id, ip: client.ip },
    { method: factor.method },
  );
  const offer = await begun.deliver(hashToken(state), client);
  return { method: factor.method, state, expiresAt, ...offer };
}

/** The method behind a setup, when it is one that /tf-setup sets up. */
function setupFactor(factor: SecondFactor | undefined): SetupFactor {
  if (!factor || !isSetupFactor(factor)) {
    throw new KeywardError(
      ErrorCode.TWO_FACTOR_METHOD_NOT_AVAILABLE,
      `"${factor?.method}" is not set up with a code.`,
    );
  }
  return factor;
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
  if (!setup?.userId || sealed === undefined) return undefined;
  const user = await ctx.store.users.byId(setup.userId);
  if (!user) return undefined;
  const secret = open(ctx.config.secret, user.id, sealed);
  const uri = await totpUri(ctx.config.twoFactor.issuer ?? ctx.config.rp.name, user.email, secret);
  return { uri, secret, qrSvg: await qrSvg(uri) };
}

/**
 * What the forced enrolment page offers for the pending sign-in behind `state`: the methods it
 * may set up (`enrolmentMethods`). Empty when the sign-in is not one held back for enrolment.
 */
export async function enrolmentOffer(ctx: KeywardContext, state: string): Promise<string[]> {
  const pending = await peekCeremony(ctx, state, "second-factor");
  if (pending?.data.enrol !== true) return [];
  return enrolmentMethods(ctx, pendingFirstFactor(pending));
}

/**
 * Whether the forced enrolment page may offer a security key to the pending sign-in behind
 * `state`: it is one held back for enrolment, and keys are a second factor here. The key's
 * own start (webauthn/enrol.ts) checks the rest.
 */
export async function enrolmentKeyOffered(ctx: KeywardContext, state: string): Promise<boolean> {
  const pending = await peekCeremony(ctx, state, "second-factor");
  return pending?.data.enrol === true && isKeyUsageEnabled(ctx, "secondary");
}

/**
 * The code-sent setup (SMS or email) behind `state` again, unspent (after a wrong code): its
 * method, so its code page can be shown again. Undefined when it is gone or is not one.
 */
export async function resumeSentCodeSetup(
  ctx: KeywardContext,
  state: string,
): Promise<{ method: SetupMethod } | undefined> {
  const setup = await peekCeremony(ctx, state, "tf-setup");
  const factor = setup ? ctx.factors.byName(setup.data.method) : undefined;
  return factor?.prompt === "send" && isBuiltInSetupMethod(factor.method)
    ? { method: factor.method }
    : undefined;
}

/** The live setup behind `state`, bound to this session (or, for enrolment, to no session). */
async function pendingSetup(
  ctx: KeywardContext,
  state: string,
  active: ActiveSession | undefined,
): Promise<CeremonyOf<"tf-setup">> {
  const invalid = () => new KeywardError(ErrorCode.STATE_INVALID);
  const setup = await ctx.store.ceremonies.find(hashToken(state), "tf-setup");
  if (!setup?.userId) throw invalid();
  if (setup.sessionId !== null && setup.sessionId !== active?.session.id) throw invalid();
  if (setup.sessionId === null && typeof setup.data.pending !== "string") throw invalid();
  if (setup.expiresAt <= ctx.clock.now()) {
    throw new KeywardError(ErrorCode.STATE_EXPIRED);
  }
  return setup;
}

/**
 * Step 2: the code proves the new factor works; only then is it saved. The setup state is
 * spent on success; a wrong code leaves it for another try (attempts are rate-limited).
 */
export async function finishSetup(
  ctx: KeywardContext,
  active: ActiveSession | undefined,
  /** `code` may be left out only for an app's approval factor (its pairing is polled). */
  input: { state: string; code: string | undefined },
  caller: Caller,
): Promise<SetupFinish> {
  const { client } = caller;
  const setup = await pendingSetup(ctx, input.state, active);
  // Enrolment at sign-in finishes only in the client whose sign-in is waiting for it.
  if (
    setup.sessionId === null &&
    (setup.data.pending === undefined ||
      !(await holdsPendingSignIn(ctx, setup.data.pending, caller)))
  ) {
    throw new KeywardError(
      ErrorCode.STATE_INVALID,
      "This sign-in was started in another browser; sign in again here.",
    );
  }
  const userId = setup.userId!;
  const factor = setupFactor(ctx.factors.byName(setup.data.method));
  const { method } = factor;
  const user = await ctx.store.users.byId(userId);
  if (!user?.active) {
    throw new KeywardError(ErrorCode.ACCOUNT_INACTIVE);
  }
  const before = await loadEnrolment(ctx, user);
  // Enrolment at sign-in stands in for a second factor only while the account has none (and
  // no passkey that reaches AAL2 on its own).
  if (
    setup.sessionId === null &&
    (factorsOf(ctx, before).length > 0 || (await reachableAal(ctx, user)) > 1)
  ) {
    throw new KeywardError(
      ErrorCode.STATE_INVALID,
      "This sign-in is waiting for a second factor, not a new one.",
    );
  }
  if (input.code === undefined && factor.prompt !== "approval") {
    throw new KeywardError(ErrorCode.INVALID_INPUT, "code: required", { field: "code" });
  }
  const reserved = await limitAttempts(ctx, "attempt", { userId, ip: client.ip });

  let change: SecondFactorChange;
  try {
    change = await factor.setup.prove(ctx, setup, input.code, hashToken(input.state));
  } catch (error) {
    // A pairing not confirmed yet guesses nothing: asked again, it is not counted.
    if (error instanceof KeywardError && error.code === ErrorCode.TWO_FACTOR_APPROVAL_PENDING) {
      await reserved.refund();
      throw error;
    }
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
  let pending: PendingSignIn | undefined;
  if (setup.sessionId === null) {
    pending = await ctx.store.ceremonies.consume(setup.data.pending ?? "", "second-factor");
    if (!pending || pending.userId !== userId) {
      throw new KeywardError(ErrorCode.STATE_INVALID);
    }
    if (pending.expiresAt <= ctx.clock.now()) {
      throw new KeywardError(ErrorCode.STATE_EXPIRED);
    }
    assertSameEpoch(pending, user);
  }
  // The first factor set up becomes the primary one, offered first at sign-in.
  if (before.settings.primaryMethod === null || factorsOf(ctx, before).length === 0) {
    change.primaryMethod = method;
  }

  // A new TOTP secret or phone number replaces the enrolled one: the old factor is removed,
  // and what it earned ends with it, but for the session that just proved the new one.
  const replaced = factor.setup.replaces(before.settings, change);

  return ctx.transaction(async (tx) => {
    await tx.secondFactors.change(userId, change);
    const sessionsRevoked =
      replaced && setup.sessionId !== null
        ? await tx.sessions.deleteEarnedBy(
            userId,
            [...(factor.ref ? [factor.ref] : []), "remembered"],
            setup.sessionId,
          )
        : 0;
    await tx.record("two-factor.enabled", { userId, ip: client.ip }, { method, sessionsRevoked });
    if (!pending) {
      // Whoever turns on a second factor gets recovery codes with it, shown this once: a
      // session that just enrolled is AAL1 and could not generate them on its own.
      const recoveryCodes =
        before.recoveryCodesLeft === 0
          ? await replaceRecoveryCodes(ctx, tx, { userId, keepSessionId: setup.sessionId! }, caller)
          : undefined;
      const enrolment = await loadEnrolment({ ...ctx, store: tx }, user);
      return {
        kind: "enrolled",
        method,
        status: statusOf(ctx, enrolment, client.locale),
        ...(recoveryCodes ? { recoveryCodes } : {}),
      };
    }
    const issued = await ctx.sessions.issue(
      tx,
      user,
      {
        amr: [...pending.data.amr, ...(factor.amr ? [factor.amr] : [])],
        aal: 2,
        uv: pending.data.uv,
        earnedBy: { first: pendingFirstFactor(pending), second: factor.ref ?? null },
      },
      caller,
      pending.data.persistent !== false,
    );
    await tx.record("two-factor.succeeded", { userId, ip: client.ip }, { method, aal: 2 });
    await recordSignIn(tx, issued.session, client, method);
    return {
      kind: "signed-in",
      method,
      outcome: { kind: "session", ...issued, user: toPublicUser(user) },
    };
  });
}

/**
 * Removes code-based second factors and the app's own (those with a `disable`): `only` one of
 * them, or all. Policy may refuse (`twoFactor.required`, `twoFactor.requireRoamingFactor`).
 * With no factor left, the recovery codes go too: they would recover nothing. The sessions the
 * removed factors earned end; `signedOut` says the current one was among them. The app's
 * factors are removed by their `disable` once Keyward's change has committed.
 */
export async function disableSecondFactors(
  ctx: KeywardContext,
  active: ActiveSession,
  only: SecondFactorMethod | undefined,
  caller: Caller,
): Promise<{ status: TwoFactorStatus; signedOut: boolean }> {
  const enrolment = await loadEnrolment(ctx, active.user);
  const { settings } = enrolment;
  const held = heldMethods(ctx, enrolment);
  const removingFactors = only === undefined ? held : held.filter((f) => f.method === only);
  const removing = removingFactors.map((f) => f.method);
  if (removing.length === 0) {
    throw new KeywardError(
      ErrorCode.TWO_FACTOR_NOT_ENROLLED,
      only === undefined ? "No second factor to disable." : `"${only}" is not set up.`,
    );
  }
  assertRemovable(ctx, enrolment, (factor) => (removing as string[]).includes(factor.method));

  const change = removalOf(removingFactors);
  const left = factorsOf(ctx, enrolment).filter((f) => !(removing as string[]).includes(f.method));
  if ((removing as string[]).includes(settings.primaryMethod ?? "")) {
    change.primaryMethod = left[0]?.method ?? null;
  }

  // What the removed methods earned ends with them, this session included; so does what a
  // remembered device earned (it may have stood in for one of them), and with the last factor
  // gone, what the recovery codes earned.
  const earned: FactorRef[] = [
    ...removingFactors.flatMap((f) => (f.ref ? [f.ref] : [])),
    "remembered",
    ...(left.length === 0 ? standInRefs(ctx) : []),
  ];
  await ctx.transaction(async (tx) => {
    await tx.secondFactors.change(active.user.id, change);
    if (left.length === 0) await tx.recoveryCodes.deleteForUser(active.user.id);
    const sessionsRevoked = await tx.sessions.deleteEarnedBy(active.user.id, earned);
    await tx.record(
      "two-factor.disabled",
      { userId: active.user.id, ip: caller.client.ip },
      { methods: removing, sessionsRevoked },
    );
  });
  // The app's storage is no part of the transaction: told once the change has committed.
  await disableAppFactors(removingFactors, active.user.id);
  return {
    status: statusOf(ctx, await loadEnrolment(ctx, active.user), caller.client.locale),
    signedOut: earnedWith(active.session.earnedBy, earned),
  };
}

/** What the stand-ins (recovery codes) earned: it ends when no factor is left to stand in for. */
function standInRefs(ctx: Pick<KeywardContext, "factors">): FactorRef[] {
  return ctx.factors.all.flatMap((f: SecondFactor) => (f.standsIn && f.ref ? [f.ref] : []));
}

/** The method of the setup behind `state` (to read its code the method's way); undefined: gone. */
export async function setupMethodOf(
  ctx: KeywardContext,
  state: string,
): Promise<string | undefined> {
  return (await peekCeremony(ctx, state, "tf-setup"))?.data.method;
}

/** The signed-in user's second factors, with warnings. */
export async function twoFactorStatus(
  ctx: KeywardContext,
  active: ActiveSession,
  locale?: string,
): Promise<TwoFactorStatus> {
  return statusOf(ctx, await loadEnrolment(ctx, active.user), locale);
}
