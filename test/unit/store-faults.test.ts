import { describe, expect, it } from "vitest";
import { StoreUnavailableError, UniqueViolationError } from "../../src/core/errors.js";
import { classifyStoreError, guarded } from "../../src/store/kysely/faults.js";

/** An error shaped as the drivers shape theirs: a message, and a code or a name. */
function driverError(message: string, fields: { code?: string; name?: string } = {}): Error {
  const error = new Error(message) as Error & { code?: string };
  if (fields.code !== undefined) error.code = fields.code;
  if (fields.name !== undefined) error.name = fields.name;
  return error;
}

describe("store errors: faults vs bugs", () => {
  it.each([
    ["PostgreSQL backend terminated", driverError("terminating connection", { code: "57P01" })],
    ["PostgreSQL statement timeout", driverError("canceling statement", { code: "57014" })],
    ["PostgreSQL deadlock", driverError("deadlock detected", { code: "40P01" })],
    ["PostgreSQL too many connections", driverError("too many clients", { code: "53300" })],
    ["PostgreSQL aborted transaction", driverError("current transaction", { code: "25P02" })],
    ["a row deleted under a foreign key", driverError("violates fk", { code: "23503" })],
    ["connection refused", driverError("connect ECONNREFUSED", { code: "ECONNREFUSED" })],
    ["broken pipe", driverError("write EPIPE", { code: "EPIPE" })],
    ["pool wait exceeded", driverError("timeout exceeded when trying to connect")],
    ["connection lost", driverError("Connection terminated unexpectedly")],
    ["SQLite busy", driverError("database is locked", { code: "SQLITE_BUSY" })],
    ["SQLite disk", driverError("disk I/O error", { code: "SQLITE_IOERR_WRITE" })],
    ["Redis down", driverError("Stream isn't writeable and enableOfflineQueue options is false")],
    ["Redis loading", driverError("LOADING Redis is loading", { name: "ReplyError" })],
    [
      "Redis retries",
      driverError("Reached the max retries", { name: "MaxRetriesPerRequestError" }),
    ],
  ])("%s is a store fault: 503 STORE_UNAVAILABLE", (_name, error) => {
    const sorted = classifyStoreError(error);
    expect(sorted).toBeInstanceOf(StoreUnavailableError);
    expect((sorted as StoreUnavailableError).storeCause).toBe(error);
  });

  it.each([
    ["a TypeError", new TypeError("Cannot read properties of undefined (reading 'id')")],
    ["a SyntaxError", new SyntaxError("Unexpected token } in JSON")],
    ["a plain Error", new Error("something Keyward did wrong")],
    ["PostgreSQL syntax error", driverError("syntax error at or near", { code: "42601" })],
    ["PostgreSQL missing table", driverError('relation "x" does not exist', { code: "42P01" })],
    ["PostgreSQL NOT NULL", driverError("null value in column", { code: "23502" })],
    ["PostgreSQL value too long", driverError("value too long", { code: "22001" })],
    ["SQLite SQL error", driverError("no such table: x", { code: "SQLITE_ERROR" })],
    ["SQLite NOT NULL", driverError("NOT NULL constraint", { code: "SQLITE_CONSTRAINT_NOTNULL" })],
    ["Redis wrong type", driverError("WRONGTYPE Operation", { name: "ReplyError" })],
  ])("%s is a bug: passed on unchanged (500 INTERNAL)", (_name, error) => {
    expect(classifyStoreError(error)).toBe(error);
  });

  it("keeps unique violations for the caller to decide", () => {
    const pg = Object.assign(new Error("duplicate key"), {
      code: "23505",
      constraint: "users_email",
    });
    expect(classifyStoreError(pg)).toEqual(new UniqueViolationError("users_email"));
    const sqlite = driverError("UNIQUE constraint failed: users.email", {
      code: "SQLITE_CONSTRAINT_UNIQUE",
    });
    expect(classifyStoreError(sqlite)).toEqual(new UniqueViolationError("users.email"));
  });

  it("sorts what a guarded repository throws the same way", async () => {
    const bug = new TypeError("undefined is not a function");
    const repo = guarded({
      broken: async () => {
        throw bug;
      },
      down: async () => {
        throw driverError("Connection terminated unexpectedly");
      },
    });
    await expect(repo.broken()).rejects.toBe(bug);
    await expect(repo.down()).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
