import { type Duration, parseDuration } from "../core/duration.js";
import { ErrorCode, KeywardError } from "../core/errors.js";
import type { Aal, Session } from "../core/types.js";

/** What a protected route demands of the session. */
export interface Requirement {
  /** Minimum assurance level (default 1). */
  aal?: Aal;
  /** Require a session earned or re-verified within this duration; `true` = config.freshWithin. */
  fresh?: boolean | Duration;
}

/** Refuses a session that does not meet the requirement, with the code a client can act on. */
export function checkRequirement(
  session: Session,
  requirement: Requirement,
  requireFresh: (session: Session, withinMs?: number) => void,
): void {
  if (requirement.aal !== undefined && session.aal < requirement.aal) {
    throw new KeywardError(
      ErrorCode.AAL_REQUIRED,
      `This needs a session at assurance level ${requirement.aal}; sign in with a second factor.`,
      { required: requirement.aal, current: session.aal },
    );
  }
  if (requirement.fresh === undefined || requirement.fresh === false) return;
  const within = requirement.fresh === true ? undefined : parseDuration(requirement.fresh);
  if (requirement.fresh !== true && within === undefined) {
    throw new Error(`auth.require: fresh "${String(requirement.fresh)}" is not a duration`);
  }
  requireFresh(session, within);
}
