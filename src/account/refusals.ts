import type { KeywardContext } from "../context.js";
import type { ClientInfo } from "../core/caller.js";
import { ErrorCode, KeywardError } from "../core/errors.js";
import type { SignInStage } from "../core/events.js";
import type { LockDecision } from "../core/policy.js";
import { applyLockDecision } from "./lock.js";

/** One sign-in attempt: what was tried, at which step, from where, and for whom once known. */
export interface SignInAttempt {
  method: string;
  stage: SignInStage;
  client: ClientInfo;
  /** The account, once the attempt names or proves one (set by the attempt as it runs). */
  userId: string | null;
  /**
   * Why it was refused, where the answer says less than the event may (a locked account
   * answers like a wrong password at /login); otherwise the error's code.
   */
  reason?: string;
}

// Enough of a User-Agent to tell browsers apart in an audit, not a fingerprint store.
const USER_AGENT_CHARS = 256;

/**
 * The reason a refusal records: the error's code in kebab case. A store fault is not a
 * refusal (the attempt was never judged), nor an approval not given yet (an app's push factor
 * polled: nothing was refused), nor anything that is not a KeywardError.
 */
export function refusalReason(error: unknown): string | undefined {
  if (
    !(error instanceof KeywardError) ||
    error.code === ErrorCode.STORE_UNAVAILABLE ||
    error.code === ErrorCode.TWO_FACTOR_APPROVAL_PENDING
  ) {
    return undefined;
  }
  return error.code.toLowerCase().replaceAll("_", "-");
}

/**
 * Records a refused sign-in (`user.login-failed`) and lets the app's `policy.onSignInFailed`
 * decide whether the account is locked for it. Every door calls this once per refusal.
 */
export async function recordRefusal(
  ctx: KeywardContext,
  attempt: SignInAttempt,
  reason: string,
): Promise<void> {
  const { client, userId, method, stage } = attempt;
  const userAgent = client.userAgent?.slice(0, USER_AGENT_CHARS) ?? null;
  await ctx.record(
    "user.login-failed",
    { userId, ip: client.ip },
    { reason, method, stage, userAgent },
  );
  const hook = ctx.policy.onSignInFailed;
  if (!hook) return;
  let decision: LockDecision | undefined;
  try {
    decision = await hook.call(ctx.policy, {
      userId,
      method,
      stage,
      reason,
      ip: client.ip,
      userAgent,
      at: ctx.clock.now(),
    });
  } catch (error) {
    console.error("keyward: policy.onSignInFailed failed", error);
    return;
  }
  await applyLockDecision(ctx, userId, decision ?? undefined, client.ip);
}

/**
 * Runs one sign-in attempt; a refusal it throws (any KeywardError but a store fault) is
 * recorded with `recordRefusal` and thrown on. `run` sets `attempt.userId` once it knows it.
 */
export async function recordingRefusals<T>(
  ctx: KeywardContext,
  attempt: Omit<SignInAttempt, "userId">,
  run: (attempt: SignInAttempt) => Promise<T>,
): Promise<T> {
  const current: SignInAttempt = { ...attempt, userId: null };
  try {
    return await run(current);
  } catch (error) {
    const reason = refusalReason(error);
    if (reason !== undefined) await recordRefusal(ctx, current, current.reason ?? reason);
    throw error;
  }
}
