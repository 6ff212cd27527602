import type { KeywardContext } from "../context.js";
import { isLocked, refuseLocked } from "../core/account-lock.js";
import type { Caller, ClientInfo } from "../core/caller.js";
import { ErrorCode, KeywardError } from "../core/errors.js";
import { hashToken } from "../core/ids.js";
import type { User } from "../core/types.js";
import { limitAttempts } from "../factors/attempts.js";
import { type CodeChannel, checkCode, sendCode } from "../factors/codes.js";
import { loadEnrolment } from "../factors/enrolment.js";
import { methodsOf } from "../factors/methods.js";
import { afterFirstFactor, commitSignin, type SignInOutcome } from "../factors/two-factor.js";
import { peekCeremony, startCeremony } from "../session/ceremony-state.js";
import { isEmail, normaliseEmail, normaliseUsername } from "./identity.js";
import { findByIdentity } from "./login.js";
import { accountMail, sendAccountMail } from "./mails.js";
import { recordingRefusals } from "./refusals.js";
import { removedAnything, removeUnconfirmedHolder } from "./unconfirmed-holder.js";

/**
 * Signing in with a one-time code (Flask-Security's unified sign-in), top to bottom: the
 * code is the first factor (AAL1), sent to the account's email address or to its
 * second-factor phone; a second factor the account has still follows, by another channel.
 *
 * 1. /code-signin {identity, channel}: counted against the identity and the IP, then a
 *    `code-signin` state is started and returned, the same for every identity. Finding the
 *    account and sending the code happen after the response (ctx.background), as for the
 *    "mail me a link" requests, so neither the answer nor its timing says whether the
 *    identity has an account (or a phone).
 * 2. /code-signin-validate {state, code}: the attempt is counted first; a wrong, expired,
 *    spent or never-sent code all get CODE_SIGNIN_INVALID. A right code spends itself and
 *    the state; an emailed one proves the mailbox, so an address never confirmed is
 *    confirmed and what an unconfirmed holder added goes (design invariant 13). Then the
 *    sign-in continues as any first factor does (factors/two-factor.ts).
 */

export interface CodeSignInStart {
  /** The state that /code-signin-validate continues (also set in the pending cookie). */
  state: string;
  channel: CodeChannel;
  /** Until when the state (and a code sent for it) is good. */
  expiresAt: number;
}

/** The identity as the account lookup reads it, hashed: what attempts are counted against. */
function identityKey(identity: string): string {
  return hashToken(isEmail(identity) ? normaliseEmail(identity) : normaliseUsername(identity));
}

function requireChannel(ctx: KeywardContext, channel: CodeChannel): void {
  if (!ctx.config.signIn.codes.includes(channel)) {
    throw new KeywardError(ErrorCode.CODE_SIGNIN_DISABLED, undefined, {
      channels: ctx.config.signIn.codes,
    });
  }
}

/** Step 1: the same state for every identity; the code, if any, is sent after the answer. */
export async function startCodeSignIn(
  ctx: KeywardContext,
  input: { identity: string; channel: CodeChannel },
  client: ClientInfo,
): Promise<CodeSignInStart> {
  requireChannel(ctx, input.channel);
  const identity = identityKey(input.identity);
  await limitAttempts(ctx, "send", { identity, ip: client.ip });
  const ttlMs = ctx.config.twoFactor.codeWithin;
  const state = await startCeremony(
    ctx,
    {
      kind: "code-signin",
      userId: null,
      sessionId: null,
      data: { channel: input.channel, identity },
      ttlMs,
    },
    // Naming an account proves nothing: the start is anonymous.
    { ip: client.ip, holder: null },
  );
  const expiresAt = ctx.clock.now() + ttlMs;
  ctx.background.run(() => deliverCode(ctx, input, state, client));
  return { state, channel: input.channel, expiresAt };
}

/** After the answer: the code, when the identity names an active account with the channel. */
async function deliverCode(
  ctx: KeywardContext,
  input: { identity: string; channel: CodeChannel },
  state: string,
  client: ClientInfo,
): Promise<void> {
  const user = await findByIdentity(ctx, input.identity);
  // A locked account could not use the code: sending one would only bother its owner.
  if (!user?.active || isLocked(user, ctx.clock.now())) return;
  const destination = await destinationOf(ctx, user, input.channel);
  if (destination === null) return;
  // Counted again per user, number or mailbox and IP, as every code sent is (the answer has
  // gone: a refusal here only means no code).
  await sendCode(
    ctx,
    {
      user,
      channel: input.channel,
      destination,
      boundTo: hashToken(state),
      purpose: "code-signin",
    },
    client,
  );
}

/** Where a code by `channel` goes: the account's address, or its second-factor phone. */
async function destinationOf(
  ctx: KeywardContext,
  user: User,
  channel: CodeChannel,
): Promise<string | null> {
  if (channel === "email") return user.email;
  const settings = await ctx.store.secondFactors.get(user.id);
  return settings?.phone ?? null;
}

/** The channel of the live code sign-in behind `state` (for its page); undefined when gone. */
export async function pendingCodeSignIn(
  ctx: KeywardContext,
  state: string,
): Promise<{ channel: CodeChannel } | undefined> {
  const started = await peekCeremony(ctx, state, "code-signin");
  return started ? { channel: started.data.channel } : undefined;
}

const invalid = () => new KeywardError(ErrorCode.CODE_SIGNIN_INVALID);

/**
 * Step 2: the code proves the first factor. Then a session (AAL1), or the second factor the
 * account has (any method but the channel the code came by), as after a password.
 * `persistent` is the user's "remember me".
 */
export async function finishCodeSignIn(
  ctx: KeywardContext,
  input: { state: string; code: string; remember?: boolean },
  caller: Caller,
): Promise<SignInOutcome> {
  const { client } = caller;
  const boundTo = hashToken(input.state);
  const started = await ctx.store.ceremonies.find(boundTo, "code-signin");
  if (!started) throw new KeywardError(ErrorCode.STATE_INVALID);
  if (started.expiresAt <= ctx.clock.now()) throw new KeywardError(ErrorCode.STATE_EXPIRED);
  const { channel, identity } = started.data;
  const method = channel === "email" ? "email-code" : "sms-code";
  // Every refusal from here on is recorded once (user.login-failed, policy.onSignInFailed),
  // rate-limited ones included; `attempt.reason` says more than the answer does.
  return recordingRefusals(ctx, { method, stage: "sign-in", client }, async (attempt) => {
    const refuse = (reason: string) => {
      attempt.reason = reason;
      return invalid();
    };
    // Before the code is compared, and against the identity, whether it has an account or not.
    await limitAttempts(ctx, "attempt", { identity, ip: client.ip });

    const sent = await ctx.store.oneTimeCodes.find(boundTo);
    const user = sent ? await ctx.store.users.byId(sent.userId) : undefined;
    if (!sent || !user) throw refuse("code-invalid");
    attempt.userId = user.id;
    try {
      await checkCode(ctx, { userId: user.id, boundTo, channel, code: input.code });
    } catch (error) {
      if (error instanceof KeywardError && error.code.startsWith("TWO_FACTOR_CODE_")) {
        throw refuse("code-invalid");
      }
      throw error;
    }
    if (!user.active) throw refuse("account-inactive");
    // A code sent to an address or phone the account has since dropped (changed, or removed
    // by its owner or an administrator) proves nothing about the account now.
    if (sent.destination !== (await destinationOf(ctx, user, channel))) {
      throw refuse("code-invalid");
    }
    // Refused before the mailbox's proof changes anything (afterFirstFactor would refuse too).
    refuseLocked(user, ctx.clock.now());
    // The code is spent; the state goes with it (single use even if what follows refuses).
    if (!(await ctx.store.ceremonies.consume(boundTo, "code-signin"))) throw refuse("code-invalid");
    const owner = channel === "email" ? await mailboxProved(ctx, user, client) : user;

    const enrolment = await loadEnrolment(ctx, owner);
    const others = methodsOf(ctx, enrolment, channel);
    if (others.length === 0 && methodsOf(ctx, enrolment).length > 0) {
      // Its only second factor is this mailbox or phone: one proof cannot count twice.
      attempt.reason = "same-channel";
      throw new KeywardError(ErrorCode.CODE_SIGNIN_NOT_ALLOWED);
    }
    const factor = {
      amr: [channel],
      uv: false,
      multiFactor: false,
      ref: channel,
      persistent: input.remember ?? true,
    };
    const step = await afterFirstFactor(ctx, owner, factor, caller);
    // commitSignin records the sign-in (user.login, method "email" or "sms").
    return ctx.transaction((tx) => commitSignin(ctx, tx, step, caller));
  });
}

/**
 * A right code mailed to the account's address proves its mailbox, as a reset link does: an
 * address never confirmed is confirmed now, and whatever an unconfirmed holder added (their
 * password, keys, factors, sessions) goes in the same unit of work (unconfirmed-holder.ts).
 * Returns the account as it is afterwards.
 */
async function mailboxProved(ctx: KeywardContext, user: User, client: ClientInfo): Promise<User> {
  if (user.emailConfirmedAt !== null) return user;
  const removal = await ctx.transaction(async (tx) => {
    const current = await tx.users.byId(user.id);
    if (!current || current.emailConfirmedAt !== null) return undefined;
    const removed = await removeUnconfirmedHolder(tx, current, "code-signin", client);
    await tx.users.confirmEmail(current.id, current.email, ctx.clock.now());
    return removed;
  });
  if (removal && removedAnything(removal)) {
    ctx.background.run(() =>
      sendAccountMail(
        ctx,
        accountMail(ctx, "unconfirmed-holder-removed", user.email, { client, removal }),
      ),
    );
  }
  const after = await ctx.store.users.byId(user.id);
  if (!after) throw invalid();
  return after;
}
