import { type Duration, parseDuration } from "../core/duration.js";
import type { Aal, Session } from "../core/types.js";

/** What a protected route demands of the session. */
export interface Requirement {
  /** Minimum assurance level (default 1). */
  aal?: Aal;
  /** Require a session earned or re-verified within this duration; `true` = config.freshWithin. */
  fresh?: boolean | Duration;
}

/**
 * The requirement as given, checked: an `aal` other than 1 or 2 (which no session could meet,
 * or every session would), or a `fresh` that is not a duration, is the app's mistake, told at
 * once (by `auth.require` when the route is declared), not as a 500 on every request.
 */
export function checkedRequirement(requirement: Requirement): Requirement {
  const { aal, fresh } = requirement;
  if (aal !== undefined && aal !== 1 && aal !== 2) {
    throw new TypeError(`auth.require: aal must be 1 or 2, not ${String(aal)}`);
  }
  if (fresh === undefined || typeof fresh === "boolean") return requirement;
  const withinMs = parseDuration(fresh);
  if (withinMs === undefined) {
    throw new TypeError(`auth.require: fresh "${String(fresh)}" is not a duration (e.g. "5m")`);
  }
  // In milliseconds from here on: a guarded route does not parse its text at every request.
  return { ...requirement, fresh: withinMs };
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
  checks.requireFresh(
    session,
    requirement.fresh === true ? undefined : parseDuration(requirement.fresh),
  );
}
