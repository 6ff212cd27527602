import type { KeywardContext } from "../context.js";
import { constantTimeEqual, hmac } from "../core/ids.js";
import type { Enrolment } from "./enrolment.js";

/**
 * "Remember this device": a signed cookie `<userId>.<expiresAt>.<mac>` that lets this browser
 * skip the second factor for a while. The MAC covers the user's second-factor revision and
 * their keys, so any change to their second factors revokes every remembered device at once.
 */

function fingerprint(enrolment: Enrolment): string {
  const keys = enrolment.keys.map((key) => key.id).sort();
  return `${enrolment.settings.revision}:${keys.join(",")}`;
}

function mac(ctx: KeywardContext, userId: string, expiresAt: number, enrolment: Enrolment) {
  return hmac(
    ctx.config.secret,
    `keyward/remember-device:${userId}:${expiresAt}:${fingerprint(enrolment)}`,
  );
}

/** A new token for this user's current second-factor setup. */
export function rememberToken(
  ctx: KeywardContext,
  enrolment: Enrolment,
): { token: string; expiresAt: number } {
  const expiresAt = ctx.clock.now() + ctx.config.twoFactor.rememberDeviceFor;
  return {
    token: `${enrolment.userId}.${expiresAt}.${mac(ctx, enrolment.userId, expiresAt, enrolment)}`,
    expiresAt,
  };
}

/** Whether `token` remembers this device for this user, unexpired and unrevoked. */
export function isRemembered(
  ctx: KeywardContext,
  token: string | undefined,
  enrolment: Enrolment,
): boolean {
  if (!ctx.config.twoFactor.rememberDevice || !token) return false;
  const [userId, expires, signature, ...rest] = token.split(".");
  if (rest.length > 0 || userId !== enrolment.userId || !expires || !signature) return false;
  const expiresAt = Number(expires);
  if (!Number.isSafeInteger(expiresAt) || expiresAt <= ctx.clock.now()) return false;
  return constantTimeEqual(signature, mac(ctx, userId, expiresAt, enrolment));
}
