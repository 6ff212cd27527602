/**
 * Every failure Keyward reports carries one of these stable codes. Clients and tests rely on
 * the code, never on the message, so codes are never renamed; new ones are only added.
 */
export const ErrorCode = {
  // Input (400)
  INVALID_INPUT: "INVALID_INPUT",
  MALFORMED_JSON: "MALFORMED_JSON",
  UNSUPPORTED_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  BODY_TOO_LARGE: "BODY_TOO_LARGE",
  // Authentication and authorisation (401/403)
  INVALID_CREDENTIALS: "INVALID_CREDENTIALS",
  UNAUTHENTICATED: "UNAUTHENTICATED",
  AAL_REQUIRED: "AAL_REQUIRED",
  REAUTHENTICATION_REQUIRED: "REAUTHENTICATION_REQUIRED",
  FRESHNESS_REQUIRED: "FRESHNESS_REQUIRED",
  CSRF_FAILED: "CSRF_FAILED",
  ACCOUNT_INACTIVE: "ACCOUNT_INACTIVE",
  PASSWORD_NOT_SET: "PASSWORD_NOT_SET",
  // Accounts (409/422)
  EMAIL_TAKEN: "EMAIL_TAKEN",
  USERNAME_TAKEN: "USERNAME_TAKEN",
  PASSWORD_REQUIRED: "PASSWORD_REQUIRED",
  PASSWORD_TOO_SHORT: "PASSWORD_TOO_SHORT",
  // Ceremonies (400)
  STATE_INVALID: "STATE_INVALID",
  STATE_EXPIRED: "STATE_EXPIRED",
  // WebAuthn
  WEBAUTHN_DISABLED: "WEBAUTHN_DISABLED",
  WEBAUTHN_VERIFICATION_FAILED: "WEBAUTHN_VERIFICATION_FAILED",
  WEBAUTHN_UNKNOWN_CREDENTIAL: "WEBAUTHN_UNKNOWN_CREDENTIAL",
  WEBAUTHN_CREDENTIAL_EXISTS: "WEBAUTHN_CREDENTIAL_EXISTS",
  WEBAUTHN_USER_HANDLE_MISMATCH: "WEBAUTHN_USER_HANDLE_MISMATCH",
  WEBAUTHN_USAGE_NOT_ALLOWED: "WEBAUTHN_USAGE_NOT_ALLOWED",
  WEBAUTHN_COUNTER_REGRESSION: "WEBAUTHN_COUNTER_REGRESSION",
  WEBAUTHN_NAME_TAKEN: "WEBAUTHN_NAME_TAKEN",
  WEBAUTHN_KEY_LIMIT: "WEBAUTHN_KEY_LIMIT",
  WEBAUTHN_NAME_INVALID: "WEBAUTHN_NAME_INVALID",
  WEBAUTHN_CREDENTIAL_NOT_FOUND: "WEBAUTHN_CREDENTIAL_NOT_FOUND",
  WEBAUTHN_BACKUP_ELIGIBILITY_CHANGED: "WEBAUTHN_BACKUP_ELIGIBILITY_CHANGED",
  // Second factors
  TWO_FACTOR_CODE_INVALID: "TWO_FACTOR_CODE_INVALID",
  TWO_FACTOR_CODE_USED: "TWO_FACTOR_CODE_USED",
  TWO_FACTOR_CODE_EXPIRED: "TWO_FACTOR_CODE_EXPIRED",
  TWO_FACTOR_NOT_ENROLLED: "TWO_FACTOR_NOT_ENROLLED",
  TWO_FACTOR_METHOD_NOT_AVAILABLE: "TWO_FACTOR_METHOD_NOT_AVAILABLE",
  TWO_FACTOR_REQUIRED: "TWO_FACTOR_REQUIRED",
  TWO_FACTOR_DELIVERY_FAILED: "TWO_FACTOR_DELIVERY_FAILED",
  TWO_FACTOR_DEVICE_NOT_REMEMBERED: "TWO_FACTOR_DEVICE_NOT_REMEMBERED",
  RECOVERY_CODE_INVALID: "RECOVERY_CODE_INVALID",
  ROAMING_FACTOR_REQUIRED: "ROAMING_FACTOR_REQUIRED",
  // Account lifecycle: emailed links, confirmation, recovery sessions
  TOKEN_INVALID: "TOKEN_INVALID",
  TOKEN_EXPIRED: "TOKEN_EXPIRED",
  EMAIL_NOT_CONFIRMED: "EMAIL_NOT_CONFIRMED",
  RECOVERY_CODE_REQUIRED: "RECOVERY_CODE_REQUIRED",
  SESSION_LIMITED: "SESSION_LIMITED",
  SESSION_NOT_FOUND: "SESSION_NOT_FOUND",
  /** The change would leave the account no way to sign in; send `confirm` to go ahead. */
  LAST_SIGN_IN_METHOD: "LAST_SIGN_IN_METHOD",
  // Rate limits and routing
  RATE_LIMITED: "RATE_LIMITED",
  NOT_FOUND: "NOT_FOUND",
  METHOD_NOT_ALLOWED: "METHOD_NOT_ALLOWED",
  // Faults (5xx)
  STORE_UNAVAILABLE: "STORE_UNAVAILABLE",
  INTERNAL: "INTERNAL",
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const statusByCode: Record<ErrorCode, number> = {
  INVALID_INPUT: 400,
  MALFORMED_JSON: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  BODY_TOO_LARGE: 413,
  INVALID_CREDENTIALS: 401,
  UNAUTHENTICATED: 401,
  AAL_REQUIRED: 403,
  REAUTHENTICATION_REQUIRED: 403,
  FRESHNESS_REQUIRED: 403,
  CSRF_FAILED: 403,
  ACCOUNT_INACTIVE: 403,
  PASSWORD_NOT_SET: 400,
  EMAIL_TAKEN: 409,
  USERNAME_TAKEN: 409,
  PASSWORD_REQUIRED: 400,
  PASSWORD_TOO_SHORT: 400,
  STATE_INVALID: 400,
  STATE_EXPIRED: 400,
  WEBAUTHN_DISABLED: 403,
  WEBAUTHN_VERIFICATION_FAILED: 400,
  WEBAUTHN_UNKNOWN_CREDENTIAL: 400,
  WEBAUTHN_CREDENTIAL_EXISTS: 409,
  WEBAUTHN_USER_HANDLE_MISMATCH: 400,
  WEBAUTHN_USAGE_NOT_ALLOWED: 403,
  WEBAUTHN_COUNTER_REGRESSION: 400,
  WEBAUTHN_NAME_TAKEN: 409,
  WEBAUTHN_KEY_LIMIT: 409,
  WEBAUTHN_NAME_INVALID: 400,
  WEBAUTHN_CREDENTIAL_NOT_FOUND: 404,
  WEBAUTHN_BACKUP_ELIGIBILITY_CHANGED: 400,
  TWO_FACTOR_CODE_INVALID: 400,
  TWO_FACTOR_CODE_USED: 400,
  TWO_FACTOR_CODE_EXPIRED: 400,
  TWO_FACTOR_NOT_ENROLLED: 409,
  TWO_FACTOR_METHOD_NOT_AVAILABLE: 400,
  TWO_FACTOR_REQUIRED: 409,
  TWO_FACTOR_DELIVERY_FAILED: 502,
  TWO_FACTOR_DEVICE_NOT_REMEMBERED: 401,
  RECOVERY_CODE_INVALID: 400,
  ROAMING_FACTOR_REQUIRED: 409,
  TOKEN_INVALID: 400,
  TOKEN_EXPIRED: 400,
  EMAIL_NOT_CONFIRMED: 403,
  RECOVERY_CODE_REQUIRED: 400,
  SESSION_LIMITED: 403,
  LAST_SIGN_IN_METHOD: 409,
  SESSION_NOT_FOUND: 404,
  RATE_LIMITED: 429,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  STORE_UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** The HTTP status a code maps to. */
export function statusOf(code: ErrorCode): number {
  return statusByCode[code];
}

/** An expected failure: it carries a stable code, a human message and optional details. */
export class KeywardError extends Error {
  override readonly name = "KeywardError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  get status(): number {
    return statusOf(this.code);
  }
}

/** The store could not be reached or failed mid-operation; nothing was committed. */
export class StoreUnavailableError extends KeywardError {
  constructor(readonly storeCause: unknown) {
    super(ErrorCode.STORE_UNAVAILABLE, "The authentication store is unavailable; try again.");
  }
}

/** A unique constraint refused a write; the feature that wrote decides what it means. */
export class UniqueViolationError extends Error {
  override readonly name = "UniqueViolationError";
  constructor(readonly constraint: string | undefined) {
    super(`unique constraint violated${constraint ? `: ${constraint}` : ""}`);
  }
}

/** Invalid configuration, found at start-up. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly issues: { key: string; reason: string }[]) {
    super(
      `Invalid Keyward configuration:\n${issues.map((i) => `  - ${i.key}: ${i.reason}`).join("\n")}`,
    );
  }
}
