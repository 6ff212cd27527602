import type { Context } from "hono";
import type { KeywardContext } from "../context.js";
import {
  ErrorCode,
  errorCatalogue,
  KeywardError,
  StoreUnavailableError,
  UniqueViolationError,
} from "../core/errors.js";
import type { MessageKey } from "../i18n/catalogue.js";
import type { Language } from "../i18n/translator.js";
import { callerOf } from "./caller.js";
import type { HttpEnv } from "./env.js";

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: Record<string, unknown> };
}

/**
 * An error's `message` in `language`. English says what the thrower said (its specific words,
 * or the code's default); another language says the code's message in that language, since a
 * thrower's specific words exist in English only. The code and details never change.
 */
export function apiMessage(language: Language, error: KeywardError): string {
  const key = `api.${error.code}` as MessageKey;
  if (!Object.hasOwn(language.messages, key)) return error.message;
  const specific = error.message !== errorCatalogue[error.code].message;
  if (specific && isEnglish(language.tag)) return error.message;
  return language.t(key);
}

function isEnglish(tag: string): boolean {
  return tag === "en" || tag.startsWith("en-");
}

/**
 * Maps any thrown value to the JSON error contract, its message in the request's language;
 * unexpected errors never leak details.
 */
export function errorResponse(ctx: KeywardContext, c: Context<HttpEnv>, error: unknown): Response {
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
  // The message follows Accept-Language: a shared cache must not serve it to another reader.
  c.header("Vary", "Accept-Language", { append: true });
  const retryAfter = failure.details?.retryAfterSeconds;
  if (typeof retryAfter === "number") c.header("Retry-After", String(Math.ceil(retryAfter)));
  const body: ErrorBody = {
    error: {
      code: failure.code,
      message: apiMessage(ctx.languages.get(callerOf(ctx, c).client.locale), failure),
      ...(failure.details ? { details: failure.details } : {}),
    },
  };
  return c.json(body, failure.status as 400);
}
