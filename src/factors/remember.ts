import type { KeywardContext } from "../context.js";
import { constantTimeEqual, hmac } from "../core/ids.js";
import type { Enrolment } from "./second-factor.js";

/**
 * "Remember this device": a signed cookie `<userId>.<epoch>.<expiresAt>.<mac>` that lets this
 * browser skip the second factor for a while. It vouches for one owner of one account, so it
 * is bound to what can change that: the user's security epoch (bumped by a password reset or
 * change, a recovery, sign out everywhere) and, through the MAC, their second-factor revision
 * and keys. Any of those changing voids every remembered device at once.
 */

function fingerprint(enrolment: Enrolment): string {
  const keys = enrolment.keys.map((key) => key.id).sort();
  return `${enrolment.settings.revision}:${keys.join(",")}`;
}

function mac(ctx: KeywardContext, enrolment: Enrolment, epoch: number, expiresAt: number) {
  return hmac(
    ctx.config.secret,
    `keyward/remember-device/v2:${enrolment.userId}:${epoch}:${expiresAt}:${fingerprint(enrolment)}`,
  );
}

/** A new token for this user's current owner (epoch) and second-factor setup. */
export function rememberToken(
  ctx: KeywardContext,
  enrolment: Enrolment,
): { token: string; expiresAt: number } {
  const expiresAt = ctx.clock.now() + ctx.config.twoFactor.rememberDeviceFor;
  const epoch = enrolment.securityEpoch;
  return {
    token: `${enrolment.userId}.${epoch}.${expiresAt}.${mac(ctx, enrolment, epoch, expiresAt)}`,
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
  const [userId, epoch, expires, signature, ...rest] = token.split(".");
  if (rest.length > 0 || userId !== enrolment.userId || !expires || !signature) return false;
  // A cookie from before the owner was last re-established vouches for nobody now.
  if (epoch !== String(enrolment.securityEpoch)) return false;
  const expiresAt = Number(expires);
  if (!Number.isSafeInteger(expiresAt) || expiresAt <= ctx.clock.now()) return false;
  return constantTimeEqual(signature, mac(ctx, enrolment, enrolment.securityEpoch, expiresAt));
}
