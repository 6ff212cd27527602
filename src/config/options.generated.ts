// Generated from src/config/schema.ts by `npm run docs:config`; do not edit.
// test/unit/config.test.ts fails when it drifts, and holds it equal to z.input of the schema.

/**
 * Configuration as the app writes it (what `createKeyward` takes besides its services): defaults
 * may be left out, durations may be text. Every key can also be set by its KEYWARD_* environment
 * variable, which wins over the value in code.
 */
export type KeywardConfigInput = {
  /** The relying party (your site) */
  rp: RpConfigInput;

  /**
   * Where durable data lives: "sqlite:<path>", "sqlite::memory:" or "postgres://…"
   *
   * Environment variable: `KEYWARD_DATABASE`
   * @defaultValue `"sqlite:./keyward.db"`
   */
  database?: string;

  /**
   * PostgreSQL: how long a request waits for a free connection of the pool (its size is the URL's
   * ?pool=, default 10) before it fails with 503 STORE_UNAVAILABLE, in ms. A request can take this
   * plus the statement timeout (?statement_timeout=, default 10000). /health does not wait for the
   * pool: it has its own connection
   *
   * Environment variable: `KEYWARD_DATABASE_POOL_WAIT`
   * @defaultValue `5000`
   */
  databasePoolWait?: number;

  /**
   * Optional redis://… URL for shared ephemeral state across instances
   *
   * Environment variable: `KEYWARD_REDIS`
   */
  redis?: string;

  /**
   * Where ceremony states and one-time codes live without Redis: "memory" (this process only; the
   * fast choice for one process on SQLite), "database" (shared by every process on the database),
   * or "auto": memory on SQLite, database on PostgreSQL. Ignored when `redis` is set
   *
   * Environment variable: `KEYWARD_EPHEMERAL`
   * @defaultValue `"auto"`
   */
  ephemeral?: "auto" | "memory" | "database";

  /**
   * With ceremony states in process memory: the most kept in each of its two pools, anonymous
   * sign-in starts and states a user answers for (a pending second factor, a key being registered);
   * past it that pool's oldest go first, so anonymous starts never push out a user's state
   *
   * Environment variable: `KEYWARD_EPHEMERAL_MEMORY_LIMIT`
   * @defaultValue `200000`
   */
  ephemeralMemoryLimit?: number;

  /**
   * Secret that signs cookies and encrypts TOTP secrets; keep it out of the code. Refused at start
   * when it repeats a short pattern or its estimated entropy is under 80 bits
   *
   * Required.
   *
   * Environment variable: `KEYWARD_SECRET`
   */
  secret: string;

  /**
   * Path prefix of the JSON API and pages
   *
   * Environment variable: `KEYWARD_PREFIX`
   * @defaultValue `"/auth"`
   */
  prefix?: string;

  /**
   * Run database migrations at start
   *
   * Environment variable: `KEYWARD_MIGRATE`
   * @defaultValue `true`
   */
  migrate?: boolean;

  /**
   * Proxies in front of the app that append to X-Forwarded-For (true = 1); the client is read that
   * many hops from the right, never from the left
   *
   * Environment variable: `KEYWARD_TRUST_PROXY`
   * @defaultValue `false`
   */
  trustProxy?: boolean | number;

  /**
   * Addresses of your proxies: X-Forwarded-For is read from the right past these (instead of
   * trustProxy's hop count)
   *
   * Environment variable: `KEYWARD_TRUSTED_PROXIES`
   * @defaultValue `[]`
   */
  trustedProxies?: string[];

  /** Accounts and passwords */
  accounts?: AccountsConfigInput;

  /** Sessions and cookies */
  session?: SessionConfigInput;

  /** Ways to sign in besides a password and a key */
  signIn?: SignInConfigInput;

  /** HTTP layer */
  http?: HttpConfigInput;

  /** WebAuthn keys */
  webauthn?: WebauthnConfigInput;

  /** Second factors */
  twoFactor?: TwoFactorConfigInput;

  /** Rate limits (counted in the database, shared by every instance) */
  rateLimits?: RateLimitsConfigInput;

  /** Account lifecycle: email confirmation, password reset, account recovery, email change */
  lifecycle?: LifecycleConfigInput;

  /** Languages of the pages, mails, code messages and API error messages */
  i18n?: I18nConfigInput;
};

/** `rp`: The relying party (your site) */
export type RpConfigInput = {
  /**
   * Relying party id: the registrable domain keys are bound to, e.g. example.com. It must be each
   * web origin's host or a registrable suffix of it (not a public suffix such as com or github.io),
   * except for rp.relatedOrigins
   *
   * Required.
   *
   * Environment variable: `KEYWARD_RP_ID`
   */
  id: string;

  /**
   * Relying party name shown by authenticators
   *
   * Required.
   *
   * Environment variable: `KEYWARD_RP_NAME`
   */
  name: string;

  /**
   * Origins allowed to run ceremonies and to send state-changing requests
   *
   * Required.
   *
   * Environment variable: `KEYWARD_RP_ORIGINS`
   */
  origins: string[];

  /**
   * Origins on other domains that may also run ceremonies for rp.id (WebAuthn Related Origin
   * Requests); accepted like rp.origins and listed at /.well-known/webauthn
   *
   * Environment variable: `KEYWARD_RP_RELATED_ORIGINS`
   * @defaultValue `[]`
   */
  relatedOrigins?: string[];
};

/** `accounts`: Accounts and passwords */
export type AccountsConfigInput = {
  /**
   * Allow sign-up without a password (passkey-only accounts)
   *
   * Environment variable: `KEYWARD_ACCOUNTS_ALLOW_PASSWORDLESS`
   * @defaultValue `false`
   */
  allowPasswordless?: boolean;

  /**
   * Minimum password length
   *
   * Environment variable: `KEYWARD_ACCOUNTS_PASSWORD_MIN_LENGTH`
   * @defaultValue `8`
   */
  passwordMinLength?: number;

  /**
   * Maximum password length (bounds hashing work)
   *
   * Environment variable: `KEYWARD_ACCOUNTS_PASSWORD_MAX_LENGTH`
   * @defaultValue `256`
   */
  passwordMaxLength?: number;
};

/** `session`: Sessions and cookies */
export type SessionConfigInput = {
  /**
   * Name of the session cookie; with Secure cookies it is sent as "__Host-" + this name
   *
   * Environment variable: `KEYWARD_SESSION_COOKIE_NAME`
   * @defaultValue `"keyward_session"`
   */
  cookieName?: string;

  /**
   * Absolute lifetime of a session (milliseconds, or text such as "5m", "12h", "30d")
   *
   * Environment variable: `KEYWARD_SESSION_LIFETIME`
   * @defaultValue `"30d"`
   */
  lifetime?: number | string;

  /**
   * A session unused this long ends (milliseconds, or text such as "5m", "12h", "30d")
   *
   * Environment variable: `KEYWARD_SESSION_IDLE_TIMEOUT`
   * @defaultValue `"7d"`
   */
  idleTimeout?: number | string;

  /**
   * Absolute lifetime of a browser session: a sign-in that did not ask to be remembered
   * ("remember": false, the login page's unticked "Remember me"); its cookie has no Max-Age, so it
   * also ends when the browser closes (milliseconds, or text such as "5m", "12h", "30d")
   *
   * Environment variable: `KEYWARD_SESSION_BROWSER_LIFETIME`
   * @defaultValue `"12h"`
   */
  browserLifetime?: number | string;

  /**
   * A browser session unused this long ends (milliseconds, or text such as "5m", "12h", "30d")
   *
   * Environment variable: `KEYWARD_SESSION_BROWSER_IDLE_TIMEOUT`
   * @defaultValue `"2h"`
   */
  browserIdleTimeout?: number | string;

  /**
   * How long after sign-in or re-verification a session is fresh (milliseconds, or text such as
   * "5m", "12h", "30d")
   *
   * Environment variable: `KEYWARD_SESSION_FRESH_WITHIN`
   * @defaultValue `"10m"`
   */
  freshWithin?: number | string;

  /**
   * How long a session keeps AAL2 after it was last proved, however active (SP 800-63B-4); then it
   * is AAL1 until the user reauthenticates (milliseconds, or text such as "5m", "12h", "30d")
   *
   * Environment variable: `KEYWARD_SESSION_AAL2_MAX_AGE`
   * @defaultValue `"24h"`
   */
  aal2MaxAge?: number | string;

  /**
   * A session unused this long drops from AAL2 to AAL1 (SP 800-63B-4); it stays signed in
   * (milliseconds, or text such as "5m", "12h", "30d")
   *
   * Environment variable: `KEYWARD_SESSION_AAL2_IDLE_TIMEOUT`
   * @defaultValue `"1h"`
   */
  aal2IdleTimeout?: number | string;

  /**
   * Bearer tokens for clients that cannot hold cookies (SPAs on another origin, mobile apps, CLIs):
   * a sign-in asked with "session": "token" answers with a token (the same server-side session) to
   * send as Authorization: Bearer, and such requests ignore cookies and need no CSRF token. Off by
   * default: a token readable by scripts is theirs to steal (docs/tokens.md)
   *
   * Environment variable: `KEYWARD_SESSION_BEARER`
   * @defaultValue `false`
   */
  bearer?: boolean;

  /**
   * Secure cookie flag, decided from configuration, never from the request: "auto" sets it unless
   * every origin is http://localhost. With Secure on, every Keyward cookie is named with the
   * __Host- prefix. "never" is refused when an origin is https
   *
   * Environment variable: `KEYWARD_SESSION_SECURE_COOKIE`
   * @defaultValue `"auto"`
   */
  secureCookie?: "auto" | "always" | "never";
};

/** `signIn`: Ways to sign in besides a password and a key */
export type SignInConfigInput = {
  /**
   * Sign in with a one-time code as the first factor (AAL1), sent to the account's email address or
   * to its second-factor phone number: "email", "sms" or both; [] (the default) turns it off. A
   * second factor the account has still follows, never the channel the code came by
   *
   * Environment variable: `KEYWARD_SIGN_IN_CODES`
   * @defaultValue `[]`
   */
  codes?: ("email" | "sms")[];
};

/** `http`: HTTP layer */
export type HttpConfigInput = {
  /**
   * Largest request body accepted, in bytes
   *
   * Environment variable: `KEYWARD_HTTP_BODY_LIMIT`
   * @defaultValue `65536`
   */
  bodyLimit?: number;

  /**
   * `keyward serve`: how long an idle keep-alive connection stays open, in ms. Keep it above your
   * load balancer's idle timeout (60 s on AWS ALB, Google Cloud's is 600 s: raise it there), or the
   * balancer may reuse a connection the server is closing and answer 502. Apps running their own
   * server set this on it
   *
   * Environment variable: `KEYWARD_HTTP_KEEP_ALIVE_TIMEOUT`
   * @defaultValue `65000`
   */
  keepAliveTimeout?: number;
};

/** `webauthn`: WebAuthn keys */
export type WebauthnConfigInput = {
  /**
   * Keys may be used to sign in
   *
   * Environment variable: `KEYWARD_WEBAUTHN_ALLOW_AS_FIRST_FACTOR`
   * @defaultValue `true`
   */
  allowAsFirstFactor?: boolean;

  /**
   * A first-usage key that verified the user satisfies both factors
   *
   * Environment variable: `KEYWARD_WEBAUTHN_ALLOW_AS_MULTI_FACTOR`
   * @defaultValue `true`
   */
  allowAsMultiFactor?: boolean;

  /**
   * Sign-in with an identity lists that user's keys (reveals whether an account has keys)
   *
   * Environment variable: `KEYWARD_WEBAUTHN_ALLOW_USER_HINTS`
   * @defaultValue `true`
   */
  allowUserHints?: boolean;

  /**
   * Most keys (both usages) one account may hold; a sign-in with user hints lists them all
   *
   * Environment variable: `KEYWARD_WEBAUTHN_MAX_KEYS_PER_USER`
   * @defaultValue `10`
   */
  maxKeysPerUser?: number;

  /**
   * Key usages accepted to re-verify (freshen) a session
   *
   * Environment variable: `KEYWARD_WEBAUTHN_ALLOW_AS_VERIFY`
   * @defaultValue `["first", "secondary"]`
   */
  allowAsVerify?: ("first" | "secondary")[];

  /**
   * Registration timeout sent to the browser (ms)
   *
   * Environment variable: `KEYWARD_WEBAUTHN_REGISTER_TIMEOUT`
   * @defaultValue `60000`
   */
  registerTimeout?: number;

  /**
   * Sign-in timeout sent to the browser (ms)
   *
   * Environment variable: `KEYWARD_WEBAUTHN_SIGNIN_TIMEOUT`
   * @defaultValue `60000`
   */
  signinTimeout?: number;

  /**
   * Lifetime of a registration ceremony state (milliseconds, or text such as "5m", "12h", "30d")
   *
   * Environment variable: `KEYWARD_WEBAUTHN_REGISTER_WITHIN`
   * @defaultValue `"5m"`
   */
  registerWithin?: number | string;

  /**
   * Lifetime of a sign-in or verify ceremony state (milliseconds, or text such as "5m", "12h",
   * "30d")
   *
   * Environment variable: `KEYWARD_WEBAUTHN_SIGNIN_WITHIN`
   * @defaultValue `"5m"`
   */
  signinWithin?: number | string;

  /**
   * Maximum length of a key name
   *
   * Environment variable: `KEYWARD_WEBAUTHN_NAME_MAX_LENGTH`
   * @defaultValue `64`
   */
  nameMaxLength?: number;

  /**
   * Public key algorithms accepted, in order of preference
   *
   * Environment variable: `KEYWARD_WEBAUTHN_ALGORITHMS`
   * @defaultValue `["ES256", "EdDSA", "RS256"]`
   */
  algorithms?: ("ES256" | "EdDSA" | "RS256")[];

  /**
   * Attestation conveyance requested at registration
   *
   * Environment variable: `KEYWARD_WEBAUTHN_ATTESTATION`
   * @defaultValue `"none"`
   */
  attestation?: "none" | "direct" | "enterprise";

  /**
   * Attestation statement formats accepted at registration
   *
   * Environment variable: `KEYWARD_WEBAUTHN_ATTESTATION_FORMATS`
   * @defaultValue `["packed", "tpm", "android-key", "android-safetynet", "fido-u2f", "apple", "none"]`
   */
  attestationFormats?: (
    | "packed"
    | "tpm"
    | "android-key"
    | "android-safetynet"
    | "fido-u2f"
    | "apple"
    | "none"
  )[];

  /**
   * Automatic passkey upgrades: right after a password sign-in, the browser script asks the
   * password manager for a passkey with conditional creation (no prompt), stored as a `first` key
   *
   * Environment variable: `KEYWARD_WEBAUTHN_PASSKEY_UPGRADE`
   * @defaultValue `false`
   */
  passkeyUpgrade?: boolean;

  /**
   * How long after a password sign-in its session may start an automatic passkey upgrade
   * (milliseconds, or text such as "5m", "12h", "30d")
   *
   * Environment variable: `KEYWARD_WEBAUTHN_PASSKEY_UPGRADE_WITHIN`
   * @defaultValue `"5m"`
   */
  passkeyUpgradeWithin?: number | string;

  /**
   * On a sign-count regression: "warn" flags the key, ends the sessions it had earned and emits an
   * event; "reject" also refuses the assertion
   *
   * Environment variable: `KEYWARD_WEBAUTHN_COUNTER_POLICY`
   * @defaultValue `"warn"`
   */
  counterPolicy?: "warn" | "reject";
};

/** `twoFactor`: Second factors */
export type TwoFactorConfigInput = {
  /**
   * Second-factor methods offered and accepted, keys included: webauthn, totp, sms, email, and the
   * names of the app's own factors (option secondFactors; default: all of these). Without webauthn,
   * secondary keys neither complete a sign-in nor can be registered
   *
   * Environment variable: `KEYWARD_TWO_FACTOR_METHODS`
   * @defaultValue `["webauthn", "totp", "sms", "email"]`
   */
  methods?: string[];

  /**
   * Every account must enrol a second factor before it gets a full session
   *
   * Environment variable: `KEYWARD_TWO_FACTOR_REQUIRED`
   * @defaultValue `false`
   */
  required?: boolean;

  /**
   * Refuse to remove a user's last roaming second factor (TOTP, SMS, email or a roaming key) while
   * only platform-bound keys would remain
   *
   * Environment variable: `KEYWARD_TWO_FACTOR_REQUIRE_ROAMING_FACTOR`
   * @defaultValue `false`
   */
  requireRoamingFactor?: boolean;

  /**
   * Name shown in authenticator apps and in code messages (default: rp.name)
   *
   * Environment variable: `KEYWARD_TWO_FACTOR_ISSUER`
   */
  issuer?: string;

  /**
   * Time allowed to complete the second factor after the first (milliseconds, or text such as "5m",
   * "12h", "30d")
   *
   * Environment variable: `KEYWARD_TWO_FACTOR_PENDING_WITHIN`
   * @defaultValue `"5m"`
   */
  pendingWithin?: number | string;

  /**
   * Time allowed to confirm a new second factor with a code (milliseconds, or text such as "5m",
   * "12h", "30d")
   *
   * Environment variable: `KEYWARD_TWO_FACTOR_SETUP_WITHIN`
   * @defaultValue `"10m"`
   */
  setupWithin?: number | string;

  /**
   * Digits in an SMS or email code
   *
   * Environment variable: `KEYWARD_TWO_FACTOR_CODE_LENGTH`
   * @defaultValue `6`
   */
  codeLength?: number;

  /**
   * Lifetime of an SMS or email code (milliseconds, or text such as "5m", "12h", "30d")
   *
   * Environment variable: `KEYWARD_TWO_FACTOR_CODE_WITHIN`
   * @defaultValue `"5m"`
   */
  codeWithin?: number | string;

  /**
   * Wrong guesses one SMS or email code survives before it is spent
   *
   * Environment variable: `KEYWARD_TWO_FACTOR_CODE_ATTEMPTS`
   * @defaultValue `5`
   */
  codeAttempts?: number;

  /**
   * How many recovery codes are generated at a time
   *
   * Environment variable: `KEYWARD_TWO_FACTOR_RECOVERY_CODES`
   * @defaultValue `10`
   */
  recoveryCodes?: number;

  /**
   * Offer "remember this device": a signed cookie that skips the second factor on that browser
   *
   * Environment variable: `KEYWARD_TWO_FACTOR_REMEMBER_DEVICE`
   * @defaultValue `false`
   */
  rememberDevice?: boolean;

  /**
   * How long a remembered device skips the second factor (milliseconds, or text such as "5m",
   * "12h", "30d")
   *
   * Environment variable: `KEYWARD_TWO_FACTOR_REMEMBER_DEVICE_FOR`
   * @defaultValue `"30d"`
   */
  rememberDeviceFor?: number | string;

  /**
   * Name of the remember-this-device cookie; with Secure cookies it is sent as "__Host-" + this
   * name
   *
   * Environment variable: `KEYWARD_TWO_FACTOR_REMEMBER_COOKIE_NAME`
   * @defaultValue `"keyward_tf_device"`
   */
  rememberCookieName?: string;
};

/** `rateLimits`: Rate limits (counted in the database, shared by every instance) */
export type RateLimitsConfigInput = {
  /**
   * Fixed window the limits below count over (milliseconds, or text such as "5m", "12h", "30d")
   *
   * Environment variable: `KEYWARD_RATE_LIMITS_WINDOW`
   * @defaultValue `"15m"`
   */
  window?: number | string;

  /**
   * Per-client limits count an IPv6 client by this prefix length (a subscriber often holds a whole
   * /64)
   *
   * Environment variable: `KEYWARD_RATE_LIMITS_IPV6_PREFIX`
   * @defaultValue `64`
   */
  ipv6Prefix?: number;

  /**
   * Failed password checks per account per window, at /login (by email or username alike), /verify
   * and /change-password; an identity that names no account is counted by itself
   *
   * Environment variable: `KEYWARD_RATE_LIMITS_SIGNIN_FAILURES_PER_ACCOUNT`
   * @defaultValue `10`
   */
  signinFailuresPerAccount?: number;

  /**
   * Failed password checks per client IP per window, and failed key sign-ins apart (counted with
   * the ceremony states)
   *
   * Environment variable: `KEYWARD_RATE_LIMITS_SIGNIN_FAILURES_PER_IP`
   * @defaultValue `100`
   */
  signinFailuresPerIp?: number;

  /**
   * Second-factor code attempts (TOTP, SMS, email, recovery) per user per window
   *
   * Environment variable: `KEYWARD_RATE_LIMITS_SECOND_FACTOR_PER_USER`
   * @defaultValue `10`
   */
  secondFactorPerUser?: number;

  /**
   * Second-factor code attempts per client IP per window
   *
   * Environment variable: `KEYWARD_RATE_LIMITS_SECOND_FACTOR_PER_IP`
   * @defaultValue `50`
   */
  secondFactorPerIp?: number;

  /**
   * SMS and email codes sent per user per window
   *
   * Environment variable: `KEYWARD_RATE_LIMITS_CODE_SENDS_PER_USER`
   * @defaultValue `5`
   */
  codeSendsPerUser?: number;

  /**
   * SMS and email codes sent per client IP per window
   *
   * Environment variable: `KEYWARD_RATE_LIMITS_CODE_SENDS_PER_IP`
   * @defaultValue `20`
   */
  codeSendsPerIp?: number;

  /**
   * Ceremonies started per client IP per window without a session: key sign-ins (/wan-signin,
   * /tf-select), and pending second factors after a right password or key
   *
   * Environment variable: `KEYWARD_RATE_LIMITS_CEREMONY_STARTS_PER_IP`
   * @defaultValue `100`
   */
  ceremonyStartsPerIp?: number;

  /**
   * Ceremonies a user answers for started per window: pending second factors (after a right
   * password or key) and what follows from them, key registrations, step-ups and second-factor
   * setups
   *
   * Environment variable: `KEYWARD_RATE_LIMITS_CEREMONY_STARTS_PER_USER`
   * @defaultValue `30`
   */
  ceremonyStartsPerUser?: number;

  /**
   * Account mails (confirmation, password reset, recovery) requested per email address per window,
   * known or not
   *
   * Environment variable: `KEYWARD_RATE_LIMITS_ACCOUNT_MAILS_PER_ADDRESS`
   * @defaultValue `3`
   */
  accountMailsPerAddress?: number;

  /**
   * Account mails requested per client IP per window
   *
   * Environment variable: `KEYWARD_RATE_LIMITS_ACCOUNT_MAILS_PER_IP`
   * @defaultValue `20`
   */
  accountMailsPerIp?: number;
};

/**
 * `lifecycle`: Account lifecycle: email confirmation, password reset, account recovery, email
 * change
 */
export type LifecycleConfigInput = {
  /**
   * Email confirmation at sign-up: "off" sends nothing; "grace" mails a link and lets an
   * unconfirmed account sign in for confirmGracePeriod after sign-up; "required" signs nobody in
   * until the address is confirmed
   *
   * Environment variable: `KEYWARD_LIFECYCLE_CONFIRM_EMAIL`
   * @defaultValue `"grace"`
   */
  confirmEmail?: "off" | "grace" | "required";

  /**
   * With confirmEmail "grace": how long after sign-up an unconfirmed account may still sign in
   * (milliseconds, or text such as "5m", "12h", "30d")
   *
   * Environment variable: `KEYWARD_LIFECYCLE_CONFIRM_GRACE_PERIOD`
   * @defaultValue `"7d"`
   */
  confirmGracePeriod?: number | string;

  /**
   * Lifetime of an email confirmation link (milliseconds, or text such as "5m", "12h", "30d")
   *
   * Environment variable: `KEYWARD_LIFECYCLE_CONFIRM_WITHIN`
   * @defaultValue `"3d"`
   */
  confirmWithin?: number | string;

  /**
   * Lifetime of a password reset link (milliseconds, or text such as "5m", "12h", "30d")
   *
   * Environment variable: `KEYWARD_LIFECYCLE_RESET_WITHIN`
   * @defaultValue `"30m"`
   */
  resetWithin?: number | string;

  /**
   * Lifetime of an account recovery link (milliseconds, or text such as "5m", "12h", "30d")
   *
   * Environment variable: `KEYWARD_LIFECYCLE_RECOVERY_WITHIN`
   * @defaultValue `"15m"`
   */
  recoveryWithin?: number | string;

  /**
   * Lifetime of the link that confirms a new email address (milliseconds, or text such as "5m",
   * "12h", "30d")
   *
   * Environment variable: `KEYWARD_LIFECYCLE_CHANGE_EMAIL_WITHIN`
   * @defaultValue `"1d"`
   */
  changeEmailWithin?: number | string;

  /**
   * Lifetime of the limited session a recovery link opens (it can only register a new key)
   * (milliseconds, or text such as "5m", "12h", "30d")
   *
   * Environment variable: `KEYWARD_LIFECYCLE_RECOVERY_SESSION_LIFETIME`
   * @defaultValue `"10m"`
   */
  recoverySessionLifetime?: number | string;

  /**
   * Recovering an account by email also takes one of its recovery codes when the user has
   * two-factor on
   *
   * Environment variable: `KEYWARD_LIFECYCLE_RECOVERY_REQUIRES_RECOVERY_CODE`
   * @defaultValue `true`
   */
  recoveryRequiresRecoveryCode?: boolean;

  /**
   * Where links in emails point; the page path (/reset-password?token=…) is appended. https, or
   * http only on localhost (links carry reset and recovery tokens). Default: the first of
   * rp.origins followed by prefix
   *
   * Environment variable: `KEYWARD_LIFECYCLE_BASE_URL`
   */
  baseUrl?: string;
};

/** `i18n`: Languages of the pages, mails, code messages and API error messages */
export type I18nConfigInput = {
  /**
   * Language of a request whose Accept-Language names none of the offered ones (a BCP 47 tag among
   * the offered languages)
   *
   * Environment variable: `KEYWARD_I18N_DEFAULT_LOCALE`
   * @defaultValue `"en"`
   */
  defaultLocale?: string;

  /**
   * Languages offered, chosen per request by Accept-Language: shipped ones ("en", "de", "fr", "es")
   * and any the app adds with the languages option. Default: all of them
   *
   * Environment variable: `KEYWARD_I18N_LOCALES`
   */
  locales?: string[];
};
