import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { findByIdentity } from "../account/login.js";
import { recordingRefusals, type SignInAttempt } from "../account/refusals.js";
import { signInAttempt } from "../account/signin-limits.js";
import type { KeywardContext } from "../context.js";
import type { Caller } from "../core/caller.js";
import { ErrorCode, KeywardError } from "../core/errors.js";
import { hashToken } from "../core/ids.js";
import { type Amr, type Credential, keyFactor, type Usage, type User } from "../core/types.js";
import { loadEnrolment } from "../factors/enrolment.js";
import { requireOffered } from "../factors/methods.js";
import {
  afterFirstFactor,
  afterSecondFactor,
  commitSignin,
  rememberThisDevice,
  type SignInOutcome,
  signinAal,
} from "../factors/two-factor.js";
import { peekCeremony, reserveAndConsume, startCeremony } from "../session/ceremony-state.js";
import { verifyAssertion } from "./assertion.js";
import type { AuthenticationResponse } from "./schemas.js";

export interface SignInStartInput {
  /** Email or username: lists that user's keys when user hints are on; ignored otherwise. */
  identity?: string | undefined;
  /** A pending second-factor state: sign in with a `secondary` key as the second factor. */
  secondFactorState?: string | undefined;
}

/**
 * The key proved possession; whether it is device-bound decides hardware vs software key. It is
 * read from the stored eligibility, never from the assertion's flags: an assertion can only
 * confirm what the key was registered as (verifyAssertion refuses a changed BE).
 */
function keyAmr(credential: Credential): Amr {
  return credential.backupEligible ? "swk" : "hwk";
}

/**
 * A key answers a pending sign-in only while keys are one of the account's second factors
 * here (`twoFactor.methods`): checked when the ceremony starts and again when it ends, since
 * a state may be started on an instance configured otherwise.
 */
async function requireKeyOffered(ctx: KeywardContext, user: User | null): Promise<void> {
  if (user) requireOffered(ctx, await loadEnrolment(ctx, user), "webauthn");
}

const keysOf = async (ctx: KeywardContext, user: User, usages: Usage[]) =>
  (await ctx.store.credentials.listForUser(user.id)).filter((key) => usages.includes(key.usage));

/**
 * Step 1: request options. As a first factor only `first` keys answer; with a pending
 * second-factor state only that user's `secondary` keys do.
 */
export async function startSignIn(
  ctx: KeywardContext,
  input: SignInStartInput,
  caller: Caller,
): Promise<{ options: PublicKeyCredentialRequestOptionsJSON; state: string }> {
  let user: User | null = null;
  let usages: Usage[] = ["first"];
  if (input.secondFactorState !== undefined) {
    const pending = await peekCeremony(ctx, input.secondFactorState, "second-factor");
    if (!pending?.userId) {
      throw new KeywardError(ErrorCode.STATE_INVALID);
    }
    user = (await ctx.store.users.byId(pending.userId)) ?? null;
    await requireKeyOffered(ctx, user);
    usages = ["secondary"];
  } else {
    if (!ctx.config.webauthn.allowAsFirstFactor) {
      throw new KeywardError(ErrorCode.WEBAUTHN_DISABLED);
    }
    // Without user hints an identity is ignored, so the answer never reveals an account.
    if (input.identity !== undefined && ctx.config.webauthn.allowUserHints) {
      const found = await findByIdentity(ctx, input.identity);
      user = found?.active ? found : null;
    }
  }
  const allowed = user ? await keysOf(ctx, user, usages) : [];
  const options = await ctx.webauthnUtil.authenticationOptions(user, usages, allowed);
  const state = await startCeremony(
    ctx,
    {
      kind: "signin",
      userId: user?.id ?? null,
      sessionId: null,
      challenge: options.challenge,
      // A second-factor sign-in is bound to the pending state it was started for.
      data: {
        usages,
        userVerification: options.userVerification ?? "preferred",
        pendingHash:
          input.secondFactorState === undefined ? null : hashToken(input.secondFactorState),
      },
      ttlMs: ctx.config.webauthn.signinWithin,
    },
    // The pending second factor's user answers for a key sign-in continuing it; a first-factor
    // start is anonymous, even when it names a user.
    {
      ip: caller.client.ip,
      holder: input.secondFactorState === undefined ? null : (user?.id ?? null),
    },
  );
  return { options, state };
}

/** What a key sign-in's second step receives (POST /wan-signin-response). */
export interface SignInResponseInput {
  state: string;
  credential: AuthenticationResponse;
  secondFactorState?: string | undefined;
  /** "Remember me" (first factor): false asks for a browser session. Default: true. */
  remember?: boolean;
  /** After a key as the second factor: remember this browser (twoFactor.rememberDevice). */
  rememberDevice?: boolean;
}

/**
 * Step 2: verify the assertion; then a session, or the second factor still owed. Every
 * refusal is recorded (`user.login-failed`) and seen by `policy.onSignInFailed`.
 */
export async function finishSignIn(
  ctx: KeywardContext,
  input: SignInResponseInput,
  caller: Caller,
): Promise<SignInOutcome> {
  const asSecond = input.secondFactorState !== undefined;
  const attempt = {
    method: "webauthn",
    stage: asSecond ? "second-factor" : "sign-in",
    client: caller.client,
  } as const;
  return recordingRefusals(ctx, attempt, async (current) => {
    try {
      return await verifiedSignIn(ctx, input, caller, current);
    } catch (error) {
      // The account a refused attempt was for: the state's user, else the named key's owner.
      current.userId ??= await ownerOf(ctx, input.credential.id);
      throw error;
    }
  });
}

/** Swallows a store fault (the refund is not made); anything else is thrown. */
function unlessStoreFault(error: unknown): void {
  if (error instanceof KeywardError && error.code === ErrorCode.STORE_UNAVAILABLE) return;
  throw error;
}

/** The owner of the key a response names (null when none has that id). */
async function ownerOf(ctx: KeywardContext, credentialId: string): Promise<string | null> {
  if (typeof credentialId !== "string" || credentialId === "") return null;
  const found = await ctx.store.credentials.byCredentialIdWithOwner(credentialId);
  return found?.owner.id ?? null;
}

async function verifiedSignIn(
  ctx: KeywardContext,
  input: SignInResponseInput,
  caller: Caller,
  current: SignInAttempt,
): Promise<SignInOutcome> {
  // What the signature check needs goes out at once (one wait where there were three): the
  // attempt's reservation, taken before the signature is checked, of which only a refused
  // assertion keeps its count (below); the ceremony state, spent whatever follows; and the key
  // the response names, a read with no effect. On PostgreSQL alone the three are one
  // statement (one round trip, one commit); elsewhere each goes to its store.
  const { reserved, consumed, key } = await reserveAndConsume(
    ctx,
    signInAttempt(ctx, { kind: "key", ip: caller.client.ip }),
    input.state,
    { kind: "signin" },
    input.credential.id,
  );
  if (reserved.status === "rejected") throw reserved.reason;
  const reservation = reserved.value;
  let checking = false;
  let asSecondFactor = false;
  let verified: Awaited<ReturnType<typeof verifyAssertion>>;
  try {
    if (consumed.status === "rejected") throw consumed.reason;
    const ceremony = consumed.value;
    const { usages, pendingHash } = ceremony.data;
    current.userId = ceremony.userId;
    asSecondFactor = pendingHash !== null;
    if (
      asSecondFactor &&
      (input.secondFactorState === undefined || hashToken(input.secondFactorState) !== pendingHash)
    ) {
      throw new KeywardError(ErrorCode.STATE_INVALID);
    }
    if (asSecondFactor && ceremony.userId !== null) {
      await requireKeyOffered(ctx, (await ctx.store.users.byId(ceremony.userId)) ?? null);
    }
    checking = true;
    verified = await verifyAssertion(
      ctx,
      ceremony,
      { response: input.credential, usages, userId: ceremony.userId, key },
      caller,
    );
  } catch (error) {
    // A refused assertion counts against the IP; a spent state or a store fault is no guess.
    const refused =
      checking && error instanceof KeywardError && error.code !== ErrorCode.STORE_UNAVAILABLE;
    if (!refused) await reservation.refund();
    throw error;
  }
  // Counters in SQL (PostgreSQL alone, SQLite with ephemeral "database") are refunded with the
  // sign-in's writes, in its one commit; others (process memory, Redis) on their own, while the
  // writes commit. A refund the store fails to make leaves the IP one count more; it does not
  // undo a sign-in.
  const refundWithWrites = ctx.store.ceremonyCounters.inTransactions === true;
  const refunded = refundWithWrites ? undefined : reservation.refund().catch(unlessStoreFault);
  refunded?.catch(() => {}); // awaited below; a refusal before that leaves it observed
  const { credential, owner, userVerified } = verified;
  current.userId = owner.id;
  const factor = { amr: [keyAmr(credential)], uv: userVerified, ref: keyFactor(credential.id) };
  const multiFactor =
    credential.usage === "first" && userVerified && ctx.config.webauthn.allowAsMultiFactor;
  let outcome: SignInOutcome;
  try {
    const step = asSecondFactor
      ? await afterSecondFactor(ctx, { state: input.secondFactorState!, user: owner, factor })
      : await afterFirstFactor(
          ctx,
          owner,
          { ...factor, multiFactor, persistent: input.remember ?? true },
          caller,
        );
    // The key's use and the sign-in event commit with what the key earned: one transaction.
    outcome = await ctx.transaction(async (tx) => {
      const outcome = await commitSignin(ctx, tx, step, caller);
      await verified.recordUse(tx);
      await tx.record(
        "webauthn.signin",
        { userId: owner.id, ip: caller.client.ip },
        {
          credentialId: credential.credentialId,
          usage: credential.usage,
          uv: userVerified,
          aal: signinAal(step),
        },
      );
      if (refundWithWrites) await reservation.refund(tx.ceremonyCounters);
      return outcome;
    });
  } catch (error) {
    // The key was right: whatever stopped the sign-in after it (a policy, a store fault, whose
    // transaction took the refund back with it) is no failed guess.
    if (refundWithWrites) await reservation.refund().catch(() => {});
    await refunded?.catch(() => {});
    throw error;
  }
  await refunded;
  if (!asSecondFactor || !input.rememberDevice || outcome.kind !== "session") return outcome;
  const remembered = await rememberThisDevice(ctx, owner, caller.client);
  return remembered ? { ...outcome, remembered } : outcome;
}
