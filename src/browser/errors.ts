import type { ErrorCode } from "../core/errors.js";
import type { ClientMessageKey } from "../i18n/catalogue.js";

/** Why a browser-side call failed, stable across releases (like the server's error codes). */
export type ClientErrorCode =
  /** WebAuthn (or the needed part of it) is not available in this browser. */
  | "UNSUPPORTED"
  /** The user dismissed the prompt, or the authenticator refused (e.g. user verification failed). */
  | "CANCELLED"
  /** No authenticator answered before the timeout (e.g. the key was unplugged). */
  | "TIMED_OUT"
  /** The page aborted the ceremony (another one started, or `cancel()` was called). */
  | "ABORTED"
  /** The authenticator already holds a key for this account (registration). */
  | "ALREADY_REGISTERED"
  /** The page's origin does not match the relying party ID. */
  | "SECURITY"
  /** The authenticator cannot do what was asked (algorithm, resident key, user verification). */
  | "NOT_SUPPORTED"
  /** The authenticator failed. */
  | "AUTHENTICATOR"
  /** The server could not be reached. */
  | "NETWORK"
  /**
   * The session's AAL2 lapsed with time (SP 800-63B-4 reauthentication bounds): call
   * `reauthenticate()` (a passkey) or send the user to sign in again, then retry.
   */
  | "REAUTHENTICATION_REQUIRED"
  /** The server refused; `serverCode` holds its stable code. */
  | "SERVER";

/** A failed call: `code` says why, `message` says it to a person (from the message catalogue). */
export class KeywardClientError extends Error {
  override readonly name = "KeywardClientError";
  /** The server's error code (e.g. "WEBAUTHN_UNKNOWN_CREDENTIAL") when `code` is "SERVER". */
  readonly serverCode: string | undefined;
  /** The HTTP status when the server answered. */
  readonly status: number | undefined;
  /** The server's error details, e.g. `{ required: 2, current: 1, reason: "aal-expired" }`. */
  readonly details: Record<string, unknown> | undefined;

  constructor(
    readonly code: ClientErrorCode,
    message: string,
    details: {
      serverCode?: string;
      status?: number;
      details?: Record<string, unknown>;
      cause?: unknown;
    } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.serverCode = details.serverCode;
    this.status = details.status;
    this.details = details.details;
  }
}

/** Server codes the client reports under a code of their own rather than "SERVER". */
const clientCodeOf: Partial<Record<ErrorCode, ClientErrorCode>> = {
  REAUTHENTICATION_REQUIRED: "REAUTHENTICATION_REQUIRED",
};

/** A refusal in Keyward's error JSON (or an unreadable one) as a client error. */
export function serverError(
  status: number,
  body: unknown,
  message: (key: ClientMessageKey) => string,
): KeywardClientError {
  const failure = (
    body as
      | { error?: { code?: string; message?: string; details?: Record<string, unknown> } }
      | undefined
  )?.error;
  // Any string a server sent: a newer server may know codes this script does not.
  const code = failure?.code as ErrorCode | undefined;
  const key = code ? serverCodeMessages[code] : undefined;
  const text = key ? message(key) : (failure?.message ?? message("client.server"));
  return new KeywardClientError((code && clientCodeOf[code]) || "SERVER", text, {
    ...(code ? { serverCode: code } : {}),
    status,
    ...(failure?.details ? { details: failure.details } : {}),
  });
}

/**
 * Server error codes (core/errors.ts, the one catalogue) with a clearer message for people
 * than the server's own.
 */
export const serverCodeMessages: Partial<Record<ErrorCode, ClientMessageKey>> = {
  WEBAUTHN_UNKNOWN_CREDENTIAL: "client.unknownCredential",
  FRESHNESS_REQUIRED: "client.freshness",
  REAUTHENTICATION_REQUIRED: "client.reauthenticate",
  UNAUTHENTICATED: "client.unauthenticated",
  STATE_EXPIRED: "client.stateExpired",
  STATE_INVALID: "client.stateExpired",
  WEBAUTHN_NAME_TAKEN: "client.nameTaken",
  WEBAUTHN_CREDENTIAL_EXISTS: "client.credentialExists",
  WEBAUTHN_USAGE_NOT_ALLOWED: "client.usageNotAllowed",
  RATE_LIMITED: "client.rateLimited",
  LAST_SIGN_IN_METHOD: "client.lastSignInMethod",
};

/** The error name a WebAuthn call rejected with, looking through @simplewebauthn's wrapper. */
function domName(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const wrapped = (error as Error & { code?: string }).code;
  if (wrapped === "ERROR_CEREMONY_ABORTED") return "AbortError";
  const cause = (error as Error & { cause?: unknown }).cause;
  if (wrapped !== undefined && cause instanceof Error) return cause.name;
  return error.name;
}

/**
 * Maps what `navigator.credentials.create/get` threw to a client error. Browsers report
 * dismissal, refused user verification and timeouts all as NotAllowedError; a rejection that
 * arrives at (or after) the ceremony's timeout is reported as TIMED_OUT.
 */
export function ceremonyError(
  error: unknown,
  message: (key: ClientMessageKey) => string,
  timing: { startedAt: number; timeoutMs: number | undefined; now: number },
): KeywardClientError {
  if (error instanceof KeywardClientError) return error;
  const wrappedCode = (error as { code?: string } | null)?.code;
  const fail = (code: ClientErrorCode, key: ClientMessageKey) =>
    new KeywardClientError(code, message(key), { cause: error });
  switch (wrappedCode) {
    case "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED":
      return fail("ALREADY_REGISTERED", "client.alreadyRegistered");
    case "ERROR_INVALID_DOMAIN":
    case "ERROR_INVALID_RP_ID":
      return fail("SECURITY", "client.security");
    case "ERROR_AUTHENTICATOR_MISSING_DISCOVERABLE_CREDENTIAL_SUPPORT":
    case "ERROR_AUTHENTICATOR_MISSING_USER_VERIFICATION_SUPPORT":
    case "ERROR_AUTHENTICATOR_NO_SUPPORTED_PUBKEYCREDPARAMS_ALG":
      return fail("NOT_SUPPORTED", "client.notSupported");
    case "ERROR_AUTHENTICATOR_GENERAL_ERROR":
      return fail("AUTHENTICATOR", "client.authenticator");
  }
  switch (domName(error)) {
    case "AbortError":
      return fail("ABORTED", "client.aborted");
    case "NotAllowedError": {
      const elapsed = timing.now - timing.startedAt;
      const timedOut = timing.timeoutMs !== undefined && elapsed >= timing.timeoutMs * 0.9;
      return timedOut
        ? fail("TIMED_OUT", "client.timedOut")
        : fail("CANCELLED", "client.cancelled");
    }
    case "InvalidStateError":
      return fail("ALREADY_REGISTERED", "client.alreadyRegistered");
    case "SecurityError":
      return fail("SECURITY", "client.security");
    case "NotSupportedError":
    case "ConstraintError":
      return fail("NOT_SUPPORTED", "client.notSupported");
    default:
      return fail("AUTHENTICATOR", "client.authenticator");
  }
}
