import { isIP } from "node:net";
import { z } from "zod";
import { parseDuration } from "../core/duration.js";
import { listedMethods } from "../factors/names.js";

/** A duration given as milliseconds or text ("90s", "5m", "12h", "30d"), resolved to ms. */
function duration(defaultValue: string, description: string) {
  return z
    .union([z.number().int().nonnegative(), z.string()])
    .default(defaultValue)
    .describe(`${description} (milliseconds, or text such as "5m", "12h", "30d")`)
    .transform((value, ctx) => {
      const ms = parseDuration(value);
      if (ms === undefined) {
        ctx.addIssue({ code: "custom", message: `"${value}" is not a duration such as "5m"` });
        return z.NEVER;
      }
      return ms;
    });
}

const usage = z.enum(["first", "secondary"]);

export const SECRET_MIN_LENGTH = 32;
/** What a start-up refusal of the secret says to do: which variable, and what it needs. */
export const SECRET_ADVICE =
  "set KEYWARD_SECRET (or `secret` in the options) to 32 random bytes, e.g. the output of `openssl rand -base64 32`";
const origin = z.string().refine((value) => {
  // Android apps sign in with their signing-key hash as origin.
  if (/^android:apk-key-hash:[A-Za-z0-9_-]+$/.test(value)) return true;
  try {
    const url = new URL(value);
    return url.origin === value && (url.protocol === "https:" || url.hostname === "localhost");
  } catch {
    return false;
  }
}, "must be an origin such as https://example.com (http only for localhost; android:apk-key-hash:… for apps), without a path");

/** A BCP 47 language tag as Intl accepts it ("de", "pt-BR"). */
const languageTag = z.string().refine((tag) => {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}, "must be a BCP 47 language tag such as de or pt-BR");

export const configSchema = z.strictObject({
  rp: z
    .strictObject({
      id: z
        .string()
        .min(1)
        .describe(
          "Relying party id: the registrable domain keys are bound to, e.g. example.com. It must be each web origin's host or a registrable suffix of it (not a public suffix such as com or github.io), except for rp.relatedOrigins",
        ),
      name: z.string().min(1).describe("Relying party name shown by authenticators"),
      origins: z
        .array(origin)
        .min(1)
        .describe("Origins allowed to run ceremonies and to send state-changing requests"),
      relatedOrigins: z
        .array(origin)
        .default([])
        .describe(
          "Origins on other domains that may also run ceremonies for rp.id (WebAuthn Related Origin Requests); accepted like rp.origins and listed at /.well-known/webauthn",
        ),
    })
    .describe("The relying party (your site)"),
  database: z
    .string()
    .refine(
      (url) => /^(sqlite:|postgres(ql)?:\/\/)/.test(url),
      'must be "sqlite:<path>", "sqlite::memory:" or "postgres://…"',
    )
    .default("sqlite:./keyward.db")
    .describe('Where durable data lives: "sqlite:<path>", "sqlite::memory:" or "postgres://…"'),
  databasePoolWait: z
    .number()
    .int()
    .min(1)
    .default(5_000)
    .describe(
      "PostgreSQL: how long a request waits for a free connection of the pool (its size is the URL's ?pool=, default 10) before it fails with 503 STORE_UNAVAILABLE, in ms. A request can take this plus the statement timeout (?statement_timeout=, default 10000). /health does not wait for the pool: it has its own connection",
    ),
  redis: z
    .string()
    .refine((url) => {
      try {
        return ["redis:", "rediss:"].includes(new URL(url).protocol);
      } catch {
        return false;
      }
    }, 'must be a "redis://…" or "rediss://…" URL')
    .optional()
    .describe("Optional redis://… URL for shared ephemeral state across instances"),
  ephemeral: z
    .enum(["auto", "memory", "database"])
    .default("auto")
    .describe(
      'Where ceremony states and one-time codes live without Redis: "memory" (this process only; the fast choice for one process on SQLite), "database" (shared by every process on the database), or "auto": memory on SQLite, database on PostgreSQL. Ignored when `redis` is set',
    ),
  ephemeralMemoryLimit: z
    .number()
    .int()
    .min(1)
    .default(200_000)
    .describe(
      "With ceremony states in process memory: the most kept in each of its two pools, anonymous sign-in starts and states a user answers for (a pending second factor, a key being registered); past it that pool's oldest go first, so anonymous starts never push out a user's state",
    ),
  secret: z
    .string({
      error: (issue) => (issue.input === undefined ? `missing: ${SECRET_ADVICE}` : undefined),
    })
    .min(SECRET_MIN_LENGTH, {
      error: (issue) =>
        `too short (${String(issue.input).length} characters, at least ${SECRET_MIN_LENGTH} needed): ${SECRET_ADVICE}`,
    })
    .describe(
      "Secret that signs cookies and encrypts TOTP secrets; keep it out of the code. Refused at start when it repeats a short pattern or its estimated entropy is under 80 bits",
    ),
  prefix: z
    .string()
    .regex(/^\/[A-Za-z0-9/_-]*$/, 'must start with "/"')
    .default("/auth")
    .describe("Path prefix of the JSON API and pages"),
  migrate: z.boolean().default(true).describe("Run database migrations at start"),
  trustProxy: z
    .union([z.boolean(), z.number().int().min(0).max(16)])
    .default(false)
    .describe(
      "Proxies in front of the app that append to X-Forwarded-For (true = 1); the client is read that many hops from the right, never from the left",
    ),
  trustedProxies: z
    .array(z.string().refine((value) => isIP(value) !== 0, "must be an IP address"))
    .default([])
    .describe(
      "Addresses of your proxies: X-Forwarded-For is read from the right past these (instead of trustProxy's hop count)",
    ),
  accounts: z
    .strictObject({
      allowPasswordless: z
        .boolean()
        .default(false)
        .describe("Allow sign-up without a password (passkey-only accounts)"),
      passwordMinLength: z.number().int().min(8).default(8).describe("Minimum password length"),
      passwordMaxLength: z
        .number()
        .int()
        .max(1024)
        .default(256)
        .describe("Maximum password length (bounds hashing work)"),
    })
    .prefault({})
    .describe("Accounts and passwords"),
  session: z
    .strictObject({
      cookieName: z
        .string()
        .regex(/^[A-Za-z0-9_-]+$/)
        .default("keyward_session")
        .describe(
          'Name of the session cookie; with Secure cookies it is sent as "__Host-" + this name',
        ),
      lifetime: duration("30d", "Absolute lifetime of a session"),
      idleTimeout: duration("7d", "A session unused this long ends"),
      browserLifetime: duration(
        "12h",
        'Absolute lifetime of a browser session: a sign-in that did not ask to be remembered ("remember": false, the login page\'s unticked "Remember me"); its cookie has no Max-Age, so it also ends when the browser closes',
      ),
      browserIdleTimeout: duration("2h", "A browser session unused this long ends"),
      freshWithin: duration("10m", "How long after sign-in or re-verification a session is fresh"),
      aal2MaxAge: duration(
        "24h",
        "How long a session keeps AAL2 after it was last proved, however active (SP 800-63B-4); then it is AAL1 until the user reauthenticates",
      ),
      aal2IdleTimeout: duration(
        "1h",
        "A session unused this long drops from AAL2 to AAL1 (SP 800-63B-4); it stays signed in",
      ),
      bearer: z
        .boolean()
        .default(false)
        .describe(
          'Bearer tokens for clients that cannot hold cookies (SPAs on another origin, mobile apps, CLIs): a sign-in asked with "session": "token" answers with a token (the same server-side session) to send as Authorization: Bearer, and such requests ignore cookies and need no CSRF token. Off by default: a token readable by scripts is theirs to steal (docs/tokens.md)',
        ),
      secureCookie: z
        .enum(["auto", "always", "never"])
        .default("auto")
        .describe(
          'Secure cookie flag, decided from configuration, never from the request: "auto" sets it unless every origin is http://localhost. With Secure on, every Keyward cookie is named with the __Host- prefix. "never" is refused when an origin is https',
        ),
    })
    .prefault({})
    .describe("Sessions and cookies"),
  signIn: z
    .strictObject({
      codes: z
        .array(z.enum(["email", "sms"]))
        .default([])
        .describe(
          'Sign in with a one-time code as the first factor (AAL1), sent to the account\'s email address or to its second-factor phone number: "email", "sms" or both; [] (the default) turns it off. A second factor the account has still follows, never the channel the code came by',
        ),
    })
    .prefault({})
    .describe("Ways to sign in besides a password and a key"),
  http: z
    .strictObject({
      bodyLimit: z
        .number()
        .int()
        .min(1024)
        .max(10 * 1024 * 1024)
        .default(64 * 1024)
        .describe("Largest request body accepted, in bytes"),
      keepAliveTimeout: z
        .number()
        .int()
        .min(0)
        .default(65_000)
        .describe(
          "`keyward serve`: how long an idle keep-alive connection stays open, in ms. Keep it above your load balancer's idle timeout (60 s on AWS ALB, Google Cloud's is 600 s: raise it there), or the balancer may reuse a connection the server is closing and answer 502. Apps running their own server set this on it",
        ),
    })
    .prefault({})
    .describe("HTTP layer"),
  webauthn: z
    .strictObject({
      allowAsFirstFactor: z.boolean().default(true).describe("Keys may be used to sign in"),
      allowAsMultiFactor: z
        .boolean()
        .default(true)
        .describe("A first-usage key that verified the user satisfies both factors"),
      allowUserHints: z
        .boolean()
        .default(true)
        .describe(
          "Sign-in with an identity lists that user's keys (reveals whether an account has keys)",
        ),
      maxKeysPerUser: z
        .number()
        .int()
        .min(1)
        .max(1000)
        .default(10)
        .describe(
          "Most keys (both usages) one account may hold; a sign-in with user hints lists them all",
        ),
      allowAsVerify: z
        .array(usage)
        .default(["first", "secondary"])
        .describe("Key usages accepted to re-verify (freshen) a session"),
      registerTimeout: z
        .number()
        .int()
        .positive()
        .default(60_000)
        .describe("Registration timeout sent to the browser (ms)"),
      signinTimeout: z
        .number()
        .int()
        .positive()
        .default(60_000)
        .describe("Sign-in timeout sent to the browser (ms)"),
      registerWithin: duration("5m", "Lifetime of a registration ceremony state"),
      signinWithin: duration("5m", "Lifetime of a sign-in or verify ceremony state"),
      nameMaxLength: z
        .number()
        .int()
        .min(1)
        .max(256)
        .default(64)
        .describe("Maximum length of a key name"),
      algorithms: z
        .array(z.enum(["ES256", "EdDSA", "RS256"]))
        .min(1)
        .default(["ES256", "EdDSA", "RS256"])
        .describe("Public key algorithms accepted, in order of preference"),
      attestation: z
        .enum(["none", "direct", "enterprise"])
        .default("none")
        .describe("Attestation conveyance requested at registration"),
      attestationFormats: z
        .array(
          z.enum([
            "packed",
            "tpm",
            "android-key",
            "android-safetynet",
            "fido-u2f",
            "apple",
            "none",
          ]),
        )
        .min(1)
        .default(["packed", "tpm", "android-key", "android-safetynet", "fido-u2f", "apple", "none"])
        .describe("Attestation statement formats accepted at registration"),
      passkeyUpgrade: z
        .boolean()
        .default(false)
        .describe(
          "Automatic passkey upgrades: right after a password sign-in, the browser script asks the password manager for a passkey with conditional creation (no prompt), stored as a `first` key",
        ),
      passkeyUpgradeWithin: duration(
        "5m",
        "How long after a password sign-in its session may start an automatic passkey upgrade",
      ),
      counterPolicy: z
        .enum(["warn", "reject"])
        .default("warn")
        .describe(
          'On a sign-count regression: "warn" flags the key, ends the sessions it had earned and emits an event; "reject" also refuses the assertion',
        ),
    })
    .prefault({})
    .describe("WebAuthn keys"),
  twoFactor: z
    .strictObject({
      methods: z
        .array(
          z
            .string()
            .regex(
              /^[a-z][a-z0-9-]{1,31}$/,
              "must be a method's name (webauthn, totp, sms, email, or one of secondFactors)",
            ),
        )
        .default([...listedMethods])
        .describe(
          "Second-factor methods offered and accepted, keys included: webauthn, totp, sms, email, and the names of the app's own factors (option secondFactors; default: all of these). Without webauthn, secondary keys neither complete a sign-in nor can be registered",
        ),
      required: z
        .boolean()
        .default(false)
        .describe("Every account must enrol a second factor before it gets a full session"),
      requireRoamingFactor: z
        .boolean()
        .default(false)
        .describe(
          "Refuse to remove a user's last roaming second factor (TOTP, SMS, email or a roaming key) while only platform-bound keys would remain",
        ),
      issuer: z
        .string()
        .min(1)
        .max(64)
        .optional()
        .describe("Name shown in authenticator apps and in code messages (default: rp.name)"),
      pendingWithin: duration("5m", "Time allowed to complete the second factor after the first"),
      setupWithin: duration("10m", "Time allowed to confirm a new second factor with a code"),
      codeLength: z
        .number()
        .int()
        .min(6)
        .max(10)
        .default(6)
        .describe("Digits in an SMS or email code"),
      codeWithin: duration("5m", "Lifetime of an SMS or email code"),
      codeAttempts: z
        .number()
        .int()
        .min(1)
        .max(10)
        .default(5)
        .describe("Wrong guesses one SMS or email code survives before it is spent"),
      recoveryCodes: z
        .number()
        .int()
        .min(4)
        .max(50)
        .default(10)
        .describe("How many recovery codes are generated at a time"),
      rememberDevice: z
        .boolean()
        .default(false)
        .describe(
          'Offer "remember this device": a signed cookie that skips the second factor on that browser',
        ),
      rememberDeviceFor: duration("30d", "How long a remembered device skips the second factor"),
      rememberCookieName: z
        .string()
        .regex(/^[A-Za-z0-9_-]+$/)
        .default("keyward_tf_device")
        .describe(
          'Name of the remember-this-device cookie; with Secure cookies it is sent as "__Host-" + this name',
        ),
    })
    .prefault({})
    .describe("Second factors"),
  rateLimits: z
    .strictObject({
      window: duration("15m", "Fixed window the limits below count over"),
      ipv6Prefix: z
        .number()
        .int()
        .min(32)
        .max(128)
        .default(64)
        .describe(
          "Per-client limits count an IPv6 client by this prefix length (a subscriber often holds a whole /64)",
        ),
      signinFailuresPerAccount: z
        .number()
        .int()
        .min(1)
        .default(10)
        .describe(
          "Failed password checks per account per window, at /login (by email or username alike), /verify and /change-password; an identity that names no account is counted by itself",
        ),
      signinFailuresPerIp: z
        .number()
        .int()
        .min(1)
        .default(100)
        .describe(
          "Failed password checks per client IP per window, and failed key sign-ins apart (counted with the ceremony states)",
        ),
      secondFactorPerUser: z
        .number()
        .int()
        .min(1)
        .default(10)
        .describe("Second-factor code attempts (TOTP, SMS, email, recovery) per user per window"),
      secondFactorPerIp: z
        .number()
        .int()
        .min(1)
        .default(50)
        .describe("Second-factor code attempts per client IP per window"),
      codeSendsPerUser: z
        .number()
        .int()
        .min(1)
        .default(5)
        .describe("SMS and email codes sent per user per window"),
      codeSendsPerIp: z
        .number()
        .int()
        .min(1)
        .default(20)
        .describe("SMS and email codes sent per client IP per window"),
      ceremonyStartsPerIp: z
        .number()
        .int()
        .min(1)
        .default(100)
        .describe(
          "Ceremonies started per client IP per window without a session: key sign-ins (/wan-signin, /tf-select), and pending second factors after a right password or key",
        ),
      ceremonyStartsPerUser: z
        .number()
        .int()
        .min(1)
        .default(30)
        .describe(
          "Ceremonies a user answers for started per window: pending second factors (after a right password or key) and what follows from them, key registrations, step-ups and second-factor setups",
        ),
      accountMailsPerAddress: z
        .number()
        .int()
        .min(1)
        .default(3)
        .describe(
          "Account mails (confirmation, password reset, recovery) requested per email address per window, known or not",
        ),
      accountMailsPerIp: z
        .number()
        .int()
        .min(1)
        .default(20)
        .describe("Account mails requested per client IP per window"),
    })
    .prefault({})
    .describe("Rate limits (counted in the database, shared by every instance)"),
  lifecycle: z
    .strictObject({
      confirmEmail: z
        .enum(["off", "grace", "required"])
        .default("grace")
        .describe(
          'Email confirmation at sign-up: "off" sends nothing; "grace" mails a link and lets an unconfirmed account sign in for confirmGracePeriod after sign-up; "required" signs nobody in until the address is confirmed',
        ),
      confirmGracePeriod: duration(
        "7d",
        'With confirmEmail "grace": how long after sign-up an unconfirmed account may still sign in',
      ),
      confirmWithin: duration("3d", "Lifetime of an email confirmation link"),
      resetWithin: duration("30m", "Lifetime of a password reset link"),
      recoveryWithin: duration("15m", "Lifetime of an account recovery link"),
      changeEmailWithin: duration("1d", "Lifetime of the link that confirms a new email address"),
      recoverySessionLifetime: duration(
        "10m",
        "Lifetime of the limited session a recovery link opens (it can only register a new key)",
      ),
      recoveryRequiresRecoveryCode: z
        .boolean()
        .default(true)
        .describe(
          "Recovering an account by email also takes one of its recovery codes when the user has two-factor on",
        ),
      baseUrl: z
        .string()
        .refine((value) => {
          try {
            const url = new URL(value);
            return (
              (url.protocol === "https:" || url.protocol === "http:") && !url.search && !url.hash
            );
          } catch {
            return false;
          }
        }, "must be an http(s) URL without query or fragment, such as https://example.com/auth")
        .optional()
        .describe(
          "Where links in emails point; the page path (/reset-password?token=…) is appended. https, or http only on localhost (links carry reset and recovery tokens). Default: the first of rp.origins followed by prefix",
        ),
    })
    .prefault({})
    .describe(
      "Account lifecycle: email confirmation, password reset, account recovery, email change",
    ),
  i18n: z
    .strictObject({
      defaultLocale: languageTag
        .default("en")
        .describe(
          "Language of a request whose Accept-Language names none of the offered ones (a BCP 47 tag among the offered languages)",
        ),
      locales: z
        .array(languageTag)
        .min(1)
        .optional()
        .describe(
          'Languages offered, chosen per request by Accept-Language: shipped ones ("en", "de", "fr", "es") and any the app adds with the languages option. Default: all of them',
        ),
    })
    .prefault({})
    .describe("Languages of the pages, mails, code messages and API error messages"),
});

/**
 * Configuration as the app writes it: defaults may be left out, durations may be text. The
 * interface is generated from this schema (`npm run docs:config`) so that an editor shows each
 * key's meaning, default and environment variable on hover, which `z.input` cannot carry;
 * test/unit/config.test.ts holds the two types equal.
 */
export type { KeywardConfigInput } from "./options.generated.js";
/** Configuration after validation: every default filled in, durations in ms. */
export type KeywardConfig = z.output<typeof configSchema>;
