import { KeywardError, StoreUnavailableError, UniqueViolationError } from "../../core/errors.js";
import { isStalePlan } from "./postgres-driver.js";

interface DriverError {
  code?: unknown;
  constraint?: unknown;
  message?: unknown;
  name?: unknown;
}

/**
 * SQLSTATE classes that say the database could not do the work now, not that the statement was
 * wrong: connection exceptions (08), invalid transaction state (25: a transaction aborted by an
 * earlier fault), transaction rollbacks (40: serialization failures, deadlocks), insufficient
 * resources (53), program limits (54), object not in prerequisite state (55: lock not
 * available), operator intervention (57: statement timeout, shutdown, backend terminated),
 * system errors (58) and internal errors (XX). Also refusals that come from the data of the
 * moment or from the database's own rules, not from Keyward's SQL: a foreign key whose row
 * another request just deleted (23503), a trigger that raised (P0001).
 */
const POSTGRES_FAULT_CLASSES = new Set(["08", "25", "40", "53", "54", "55", "57", "58", "XX"]);
const POSTGRES_FAULT_CODES = new Set(["23503", "P0001"]);

/**
 * SQLite result codes that come from the file, its locks or the machine, not from the SQL; and,
 * as on PostgreSQL, a foreign key or a trigger refusing the write.
 */
const SQLITE_FAULTS =
  /^SQLITE_(ABORT|BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|CORRUPT|NOMEM|PROTOCOL|NOTADB|INTERRUPT|CONSTRAINT_FOREIGNKEY|CONSTRAINT_TRIGGER)/;

/** Errors of the operating system's network layer: the server is not there or went away. */
const NETWORK_FAULTS = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ECONNABORTED",
]);

/**
 * What the drivers throw without a code when a connection is lost, closed or never obtained
 * (node-postgres and its pool, Kysely's driver, better-sqlite3 after close, ioredis).
 */
const CONNECTION_FAULT_MESSAGES = [
  /^Connection terminated/,
  /not queryable/,
  /^timeout exceeded when trying to connect/,
  /^Query read timeout/,
  /after calling end on the pool/,
  /^driver has already been destroyed/,
  /connection has been discarded/,
  /^The database connection is not open/,
  /^Connection is closed/,
  /^Stream isn't writeable/,
  /^Reached the max retries per request limit/,
  /^Command timed out/,
  /^PostgreSQL rolled the transaction back/,
];

/** Redis replies that mean the server cannot serve now (loading, read-only replica, memory…). */
const REDIS_FAULT_REPLIES =
  /^(LOADING|BUSY|READONLY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|OOM|NOREPLICAS|MISCONF)\b/;

/** Whether a driver error is a fault of the store (unreachable, overloaded, interrupted). */
export function isStoreFault(error: unknown): boolean {
  const driver = (error ?? {}) as DriverError;
  const code = typeof driver.code === "string" ? driver.code : "";
  const message = typeof driver.message === "string" ? driver.message : "";
  if (NETWORK_FAULTS.has(code)) return true;
  // A prepared statement outdated by another instance's migration: the next try prepares anew.
  if (isStalePlan(error)) return true;
  if (/^[0-9A-Z]{5}$/.test(code)) {
    return POSTGRES_FAULT_CLASSES.has(code.slice(0, 2)) || POSTGRES_FAULT_CODES.has(code);
  }
  if (code.startsWith("SQLITE_")) return SQLITE_FAULTS.test(code);
  if (driver.name === "ReplyError") return REDIS_FAULT_REPLIES.test(message);
  if (driver.name === "MaxRetriesPerRequestError" || driver.name === "AbortError") return true;
  return CONNECTION_FAULT_MESSAGES.some((pattern) => pattern.test(message));
}

/**
 * Sorts an error from the store layer: a unique violation (the caller decides), a fault of the
 * store (503 STORE_UNAVAILABLE, worth a retry), or anything else, which is a bug (a TypeError, a
 * syntax error, a value the schema refuses): it is passed on unchanged, and the HTTP layer logs
 * it and answers 500 INTERNAL.
 */
export function classifyStoreError(error: unknown): unknown {
  if (error instanceof KeywardError || error instanceof UniqueViolationError) return error;
  const driver = (error ?? {}) as DriverError;
  const code = typeof driver.code === "string" ? driver.code : "";
  if (code === "23505") {
    return new UniqueViolationError(
      typeof driver.constraint === "string" ? driver.constraint : undefined,
    );
  }
  if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY") {
    const message = typeof driver.message === "string" ? driver.message : "";
    return new UniqueViolationError(message.replace(/^UNIQUE constraint failed: /, ""));
  }
  return isStoreFault(error) ? new StoreUnavailableError(error) : error;
}

/** Wraps every method of a repository so driver errors surface as Keyward errors. */
export function guarded<T extends object>(repo: T): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(repo)) {
    wrapped[name] =
      typeof value === "function"
        ? // Not an async wrapper: a store call is on every hot path, and one more async frame
          // and promise per call is measurable there (several calls per sign-in).
          (...args: unknown[]) => {
            try {
              return Promise.resolve(
                (value as (...a: unknown[]) => Promise<unknown>).apply(repo, args),
              ).then(undefined, rethrowClassified);
            } catch (error) {
              return Promise.reject(classifyStoreError(error));
            }
          }
        : value;
  }
  return wrapped as T;
}

function rethrowClassified(error: unknown): never {
  throw classifyStoreError(error);
}
