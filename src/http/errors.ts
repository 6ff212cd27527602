import type { Context } from "hono";
import {
  ErrorCode,
  KeywardError,
  StoreUnavailableError,
  UniqueViolationError,
} from "../core/errors.js";

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: Record<string, unknown> };
}

/** Maps any thrown value to the JSON error contract; unexpected errors never leak details. */
export function errorResponse(c: Context, error: unknown): Response {
  let failure: KeywardError;
  if (error instanceof KeywardError) {
    failure = error;
  } else if (error instanceof UniqueViolationError) {
    // A unique violation the feature did not anticipate is still a conflict, not a crash.
    failure = new KeywardError(ErrorCode.INVALID_INPUT, "That conflicts with existing data.");
  } else {
    console.error("keyward: unexpected error", error);
    failure = new KeywardError(ErrorCode.INTERNAL);
  }
  if (failure instanceof StoreUnavailableError) {
    console.error("keyward: store unavailable", failure.storeCause);
    c.header("Retry-After", "5");
  }
  const retryAfter = failure.details?.retryAfterSeconds;
  if (typeof retryAfter === "number") c.header("Retry-After", String(Math.ceil(retryAfter)));
  const body: ErrorBody = {
    error: {
      code: failure.code,
      message: failure.message,
      ...(failure.details ? { details: failure.details } : {}),
    },
  };
  return c.json(body, failure.status as 400);
}
