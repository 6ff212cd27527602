import { ErrorCode, KeywardError } from "./errors.js";
import type { User } from "./types.js";

/** Whether the user's lock holds at `now` (one with an `until` lifts by itself). */
export function isLocked(user: Pick<User, "lock">, now: number): boolean {
  return user.lock !== null && (user.lock.until === null || user.lock.until > now);
}

/**
 * The one lock check, for every way into an account: a first factor resolving into a sign-in
 * step, a pending second factor, and every session issued (factors/two-factor.ts and
 * Sessions.create call it). Only `/login` answers otherwise, like a wrong password.
 */
export function refuseLocked(user: Pick<User, "lock">, now: number): void {
  if (isLocked(user, now)) throw new KeywardError(ErrorCode.ACCOUNT_LOCKED);
}
