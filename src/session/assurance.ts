import { type Duration, parseDuration } from "../core/duration.js";
import type { Aal, Session } from "../core/types.js";

/** What a protected route demands of the session. */
export interface Requirement {
  /** Minimum assurance level (default 1). */
  aal?: Aal;
  /** Require a session earned or re-verified within this duration; `true` = config.freshWithin. */
  fresh?: boolean | Duration;
}

/** What checkRequirement needs of Sessions. */
export interface RequirementChecks {
  requireAal(session: Session, required: Aal): void;
  requireFresh(session: Session, withinMs?: number): void;
}

/**
 * Refuses a session that does not meet the requirement, with the code a client can act on
 * (AAL_REQUIRED, REAUTHENTICATION_REQUIRED when AAL2 lapsed, FRESHNESS_REQUIRED).
 */
export function checkRequirement(
  session: Session,
  requirement: Requirement,
  checks: RequirementChecks,
): void {
  if (requirement.aal !== undefined) checks.requireAal(session, requirement.aal);
  if (requirement.fresh === undefined || requirement.fresh === false) return;
  const within = requirement.fresh === true ? undefined : parseDuration(requirement.fresh);
  if (requirement.fresh !== true && within === undefined) {
    throw new Error(`auth.require: fresh "${String(requirement.fresh)}" is not a duration`);
  }
  checks.requireFresh(session, within);
}
