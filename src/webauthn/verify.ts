import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { recordingRefusals } from "../account/refusals.js";
import type { KeywardContext } from "../context.js";
import type { ActiveSession, Caller } from "../core/caller.js";
import { ErrorCode, KeywardError } from "../core/errors.js";
import { earnedWith, keyFactor } from "../core/types.js";
import { consumeCeremony, startCeremony } from "../session/ceremony-state.js";
import { verifyAssertion } from "./assertion.js";
import type { AuthenticationResponse } from "./schemas.js";

/**
 * Whether the signed-in user has a key that can verify them (`allowAsVerify`); with
 * `reauthenticate`, one that proves AAL2 again (a `first` key, when `allowAsMultiFactor`).
 */
export async function hasVerifyingKey(
  ctx: KeywardContext,
  active: ActiveSession,
  reauthenticate: boolean,
): Promise<boolean> {
  const { allowAsVerify, allowAsMultiFactor } = ctx.config.webauthn;
  const usable = reauthenticate
    ? allowAsVerify.filter((u) => u === "first" && allowAsMultiFactor)
    : allowAsVerify;
  const keys = await ctx.store.credentials.listForUser(active.user.id);
  return keys.some((key) => usable.includes(key.usage));
}

/** Step 1 of step-up: request options listing the signed-in user's keys allowed to verify. */
export async function startVerify(
  ctx: KeywardContext,
  active: ActiveSession,
  caller: Caller,
): Promise<{ options: PublicKeyCredentialRequestOptionsJSON; state: string }> {
  const usages = ctx.config.webauthn.allowAsVerify;
  const keys = (await ctx.store.credentials.listForUser(active.user.id)).filter((key) =>
    usages.includes(key.usage),
  );
  if (keys.length === 0) {
    throw new KeywardError(
      ErrorCode.WEBAUTHN_CREDENTIAL_NOT_FOUND,
      "You have no key that can verify you.",
    );
  }
  const options = await ctx.webauthnUtil.authenticationOptions(active.user, usages, keys);
  const state = await startCeremony(
    ctx,
    {
      kind: "verify",
      userId: active.user.id,
      sessionId: active.session.id,
      challenge: options.challenge,
      data: { userVerification: options.userVerification ?? "preferred" },
      ttlMs: ctx.config.webauthn.signinWithin,
    },
    { ip: caller.client.ip, holder: active.user.id },
  );
  return { options, state };
}

/**
 * Step 2: only a key of the signed-in user (never another user's, GHSA-f66q-9rf6-8795) with a
 * usage in `allowAsVerify` marks the session fresh. Nothing else about the session changes,
 * except in a reauthentication: in a session that proved AAL2 at sign-in, an assertion that
 * is itself multi-factor (a `first` key with UV, as at sign-in) proves it again, restoring
 * AAL2 if it lapsed with time (SP 800-63B-4 bounds) and restarting the bounds, under a new
 * session id; the new token is returned for the cookie.
 */
export async function finishVerify(
  ctx: KeywardContext,
  active: ActiveSession,
  input: { state: string; credential: AuthenticationResponse },
  caller: Caller,
): Promise<{ token?: string }> {
  const verified = await recordingRefusals(
    ctx,
    { method: "webauthn", stage: "verify", client: caller.client },
    async (attempt) => {
      attempt.userId = active.user.id;
      const ceremony = await consumeCeremony(ctx, input.state, {
        kind: "verify",
        sessionId: active.session.id,
      });
      const verified = await verifyAssertion(
        ctx,
        ceremony,
        {
          response: input.credential,
          usages: ctx.config.webauthn.allowAsVerify,
          userId: active.user.id,
        },
        caller,
      );
      // A flagged key ended the sessions it had earned, this one among them if it did.
      if (
        verified.flagged &&
        earnedWith(active.session.earnedBy, [keyFactor(verified.credential.id)])
      ) {
        throw new KeywardError(
          ErrorCode.UNAUTHENTICATED,
          "This key may have been copied; sign in again.",
        );
      }
      return verified;
    },
  );
  const { session } = active;
  // Within the bounds too: proving AAL2 again restarts them.
  const reauthenticates =
    session.aal2At !== null &&
    verified.credential.usage === "first" &&
    verified.userVerified &&
    ctx.config.webauthn.allowAsMultiFactor;
  return ctx.transaction(async (tx) => {
    await verified.recordUse(tx);
    const who = { userId: active.user.id, ip: caller.client.ip };
    let token: string | undefined;
    if (reauthenticates) {
      token = await ctx.sessions.reauthenticate(tx, session);
      if (token) {
        await tx.record("session.reauthenticated", who, {
          method: "webauthn",
          aal: 2,
        });
      }
    } else {
      await ctx.sessions.markFresh(tx, session);
    }
    await tx.record("session.verified", who, {
      method: "webauthn",
      reauthenticated: token !== undefined,
      aal: session.aal,
    });
    await tx.record("webauthn.verify", who, {
      credentialId: verified.credential.credentialId,
      usage: verified.credential.usage,
    });
    return token ? { token } : {};
  });
}
