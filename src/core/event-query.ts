import { ErrorCode, KeywardError } from "./errors.js";
import type { KeywardEventMap, KeywardEventType } from "./events.js";
import type { AuditEvent } from "./types.js";

/** What the event table is asked for (epoch milliseconds; the store implements it). */
export interface EventQuery {
  userId?: string;
  type?: string;
  since?: number;
  until?: number;
  limit?: number;
}

/** Where events are read back from: the store's event table. */
export interface EventReader {
  list(query: EventQuery): Promise<AuditEvent[]>;
}

/** Which audit events to read: every field narrows; times are Dates or epoch milliseconds. */
export interface EventsQuery<T extends KeywardEventType = KeywardEventType> {
  /** Only this user's events. */
  userId?: string;
  /** Only events of this type (see docs/events.md). */
  type?: T;
  /** Only events at or after this time. */
  since?: Date | number;
  /** Only events before this time. */
  until?: Date | number;
  /** At most this many, newest first (default 100, at most 1000). */
  limit?: number;
}

/** An event as read back from the event table. */
export interface StoredEvent<T extends KeywardEventType = KeywardEventType> {
  id: string;
  type: T;
  userId: string | null;
  /** When it happened, epoch milliseconds. */
  at: number;
  ip: string | null;
  detail: KeywardEventMap[T];
}

const MAX_LIMIT = 1000;

function epochMs(value: Date | number | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : value;
  if (!Number.isFinite(ms)) {
    throw new KeywardError(ErrorCode.INVALID_INPUT, `${field}: not a valid time`, { field });
  }
  return ms;
}

/** Reads audit events, newest first. */
export async function listEvents<T extends KeywardEventType>(
  store: { readonly events: EventReader },
  query: EventsQuery<T> = {},
): Promise<StoredEvent<T>[]> {
  const limit = query.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new KeywardError(
      ErrorCode.INVALID_INPUT,
      `limit: a whole number from 1 to ${MAX_LIMIT}`,
      { field: "limit" },
    );
  }
  const rows = await store.events.list({
    ...(query.userId !== undefined ? { userId: query.userId } : {}),
    ...(query.type !== undefined ? { type: query.type } : {}),
    ...(query.since !== undefined ? { since: epochMs(query.since, "since") } : {}),
    ...(query.until !== undefined ? { until: epochMs(query.until, "until") } : {}),
    limit,
  });
  return rows.map((row) => ({
    ...row,
    type: row.type as T,
    detail: row.detail as KeywardEventMap[T],
  }));
}
