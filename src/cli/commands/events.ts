import { systemClock } from "../../core/clock.js";
import { parseDuration } from "../../core/duration.js";
import { listEvents } from "../../core/event-query.js";
import type { KeywardEventType } from "../../core/events.js";
import { type Command, UsageError } from "../command.js";
import { iso, table } from "../format.js";
import { findUser } from "../users-ref.js";

/** An ISO 8601 time, or a duration ago ("24h", "30d"). */
function time(value: string | boolean | undefined, name: string, now: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string") {
    const ago = parseDuration(value);
    if (ago !== undefined) return now - ago;
    const at = Date.parse(value);
    if (Number.isFinite(at)) return at;
  }
  throw new UsageError(`--${name}: an ISO 8601 time or a duration ago such as "24h"`);
}

export const eventsCommand: Command = {
  name: "events",
  summary: "Read the audit event log, newest first",
  options: {
    user: {
      type: "string",
      value: "<user>",
      description: "Only this user's events (email, username or id)",
    },
    type: {
      type: "string",
      value: "<type>",
      description: 'Only events of this type, e.g. "user.login"',
    },
    since: {
      type: "string",
      value: "<time>",
      description: 'At or after: ISO 8601, or a duration ago ("24h")',
    },
    until: { type: "string", value: "<time>", description: "Before: ISO 8601, or a duration ago" },
    limit: {
      type: "string",
      value: "<n>",
      description: "At most n events (default 100, at most 1000)",
    },
  },
  details: "Event types and their details: docs/events.md.",
  async run(cli) {
    // The command line is checked before the database is opened.
    const now = systemClock.now();
    const since = time(cli.options.since, "since", now);
    const until = time(cli.options.until, "until", now);
    const rawLimit = cli.options.limit;
    if (rawLimit !== undefined && (typeof rawLimit !== "string" || !/^\d+$/.test(rawLimit))) {
      throw new UsageError("--limit: a whole number from 1 to 1000", eventsCommand);
    }
    const admin = await cli.admin();
    const userRef = cli.options.user;
    const user = typeof userRef === "string" ? await findUser(admin, userRef) : undefined;
    const events = await listEvents(admin.store, {
      ...(user ? { userId: user.id } : {}),
      ...(typeof cli.options.type === "string"
        ? { type: cli.options.type as KeywardEventType }
        : {}),
      ...(since !== undefined ? { since } : {}),
      ...(until !== undefined ? { until } : {}),
      ...(rawLimit !== undefined ? { limit: Number(rawLimit) } : {}),
    });
    const rows = events.map((e) => ({ ...e, at: iso(e.at) }));
    return {
      json: { events: rows },
      text:
        rows.length === 0
          ? "No events."
          : table(
              ["at", "type", "user", "ip", "detail"],
              rows.map((e) => [e.at, e.type, e.userId, e.ip, JSON.stringify(e.detail)]),
            ),
    };
  },
};
