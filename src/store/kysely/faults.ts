import { KeywardError, StoreUnavailableError, UniqueViolationError } from "../../core/errors.js";

interface DriverError {
  code?: unknown;
  constraint?: unknown;
  message?: unknown;
}

/** Sorts a driver error into: a unique violation (the caller decides) or an unavailable store. */
export function classifyStoreError(error: unknown): Error {
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
  return new StoreUnavailableError(error);
}

/** Wraps every method of a repository so driver errors surface as Keyward errors. */
export function guarded<T extends object>(repo: T): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(repo)) {
    wrapped[name] =
      typeof value === "function"
        ? async (...args: unknown[]) => {
            try {
              return await (value as (...a: unknown[]) => Promise<unknown>).apply(repo, args);
            } catch (error) {
              throw classifyStoreError(error);
            }
          }
        : value;
  }
  return wrapped as T;
}
