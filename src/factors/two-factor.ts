import type { KeywardContext } from "../context.js";
import { ErrorCode, KeywardError } from "../core/errors.js";
import type { Amr, PublicUser, Session, User } from "../core/types.js";
import { toPublicUser } from "../core/types.js";
import { consumeCeremony, startCeremony } from "../session/ceremony-state.js";
import type { ClientInfo } from "../session/sessions.js";

/** A second-factor method a user can complete. */
export type SecondFactorMethod = "webauthn" | "totp" | "sms" | "email" | "recovery";

/** What the first factor proved. */
export interface FirstFactor {
  amr: Amr[];
  uv: boolean;
  /** The first factor alone satisfies two factors (a `first` key that verified the user). */
  multiFactor: boolean;
}

export type SignInOutcome =
  | { kind: "session"; token: string; session: Session; user: PublicUser }
  | { kind: "second-factor"; state: string; methods: SecondFactorMethod[] };

// A pending second factor must be finished promptly; five minutes covers fetching a phone.
const PENDING_TTL_MS = 5 * 60_000;

/** The second factors this user has enrolled and the configuration offers. */
export async function secondFactorMethods(
  ctx: KeywardContext,
  user: User,
): Promise<SecondFactorMethod[]> {
  const offered = new Set(ctx.config.twoFactor.methods);
  const methods: SecondFactorMethod[] = [];
  if (offered.has("webauthn")) {
    const keys = await ctx.store.credentials.listForUser(user.id);
    if (keys.some((key) => key.usage === "secondary")) methods.push("webauthn");
  }
  return methods;
}

/**
 * After a first factor: either the session is earned now, or the user must complete a second
 * factor first (a server-side pending state; no session is issued until then).
 */
export async function completeFirstFactor(
  ctx: KeywardContext,
  user: User,
  factor: FirstFactor,
  client: ClientInfo,
  replacingToken?: string,
): Promise<SignInOutcome> {
  if (!factor.multiFactor) {
    const methods = await secondFactorMethods(ctx, user);
    if (methods.length > 0) {
      const state = await startCeremony(ctx, {
        kind: "second-factor",
        userId: user.id,
        sessionId: null,
        data: { amr: factor.amr, uv: factor.uv },
        ttlMs: PENDING_TTL_MS,
      });
      return { kind: "second-factor", state, methods };
    }
  }
  const issued = await ctx.sessions.issue(
    ctx.store,
    user,
    {
      amr: factor.multiFactor ? [...factor.amr, "mfa"] : factor.amr,
      aal: factor.multiFactor ? 2 : 1,
      uv: factor.uv,
    },
    client,
    replacingToken,
  );
  return { kind: "session", ...issued, user: toPublicUser(user) };
}

/**
 * A second factor was proved for `user`: spend the pending state (it must be this user's) and
 * issue the AAL2 session, recording both factors.
 */
export async function completeSecondFactor(
  ctx: KeywardContext,
  pendingState: string,
  user: User,
  factor: { amr: Amr[]; uv: boolean },
  client: ClientInfo,
  replacingToken?: string,
): Promise<SignInOutcome> {
  const pending = await consumeCeremony(ctx, pendingState, { kind: "second-factor" });
  if (pending.userId !== user.id) {
    throw new KeywardError(ErrorCode.STATE_INVALID, "This sign-in belongs to another account.");
  }
  const firstAmr = (pending.data.amr as Amr[] | undefined) ?? [];
  const issued = await ctx.sessions.issue(
    ctx.store,
    user,
    { amr: [...firstAmr, ...factor.amr], aal: 2, uv: pending.data.uv === true || factor.uv },
    client,
    replacingToken,
  );
  return { kind: "session", ...issued, user: toPublicUser(user) };
}
