import type { IncomingMessage } from "node:http";
import { type AdminApi, adminApi } from "./account/admin-api.js";
import { loadConfig } from "./config/load.js";
import type { KeywardConfig, KeywardConfigInput } from "./config/schema.js";
import { type KeywardContext, workOn } from "./context.js";
import { BackgroundTasks } from "./core/background.js";
import type { ActiveSession } from "./core/caller.js";
import { type Clock, systemClock } from "./core/clock.js";
import { ErrorCode, KeywardError } from "./core/errors.js";
import { type EventsQuery, listEvents, type StoredEvent } from "./core/event-query.js";
import { KeywardEvents, type KeywardEventType } from "./core/events.js";
import type { SignInPolicy } from "./core/policy.js";
import type { AppSecondFactor } from "./factors/app-factor.js";
import { checkListedMethods, registryFor, withAppFactors } from "./factors/app-registry.js";
import {
  checkSenders,
  consoleMailer,
  consoleSmsSender,
  type Mailer,
  type SmsSender,
} from "./factors/delivery.js";
import { createHttpApp } from "./http/app.js";
import { bearerOf } from "./http/caller.js";
import { apiMessage } from "./http/errors.js";
import { pageRedirectFor } from "./http/negotiate.js";
import { type GuardedRequest, type RequireMiddleware, requireMiddleware } from "./http/require.js";
import type { Access } from "./http/route.js";
import { GracefulShutdown } from "./http/shutdown.js";
import { type AppLanguages, Languages } from "./i18n/offered.js";
import type { ImportFileInput } from "./import/format.js";
import { type ImportOptions, type ImportReport, importUsers } from "./import/import.js";
import { keepStore } from "./instance.js";
import { checkedRequirement, checkRequirement, type Requirement } from "./session/assurance.js";
import { type CleanupResult, cleanupExpired } from "./session/cleanup.js";
import { Cookies } from "./session/cookies.js";
import { formToken } from "./session/csrf.js";
import { Sessions } from "./session/sessions.js";
import { openStore } from "./store/open.js";
import type { PagesOptions } from "./views/index.js";
import { normaliseNames } from "./webauthn/aaguid.js";
import { WebauthnUtil, type WebauthnUtilClass } from "./webauthn/util.js";

export interface KeywardOptions extends KeywardConfigInput {
  /** A WebauthnUtil subclass deciding WebAuthn policy (default: WebauthnUtil). */
  webauthnUtil?: WebauthnUtilClass;
  /** Where time comes from (default: the system clock); tests pass a ManualClock. */
  clock?: Clock;
  /** Environment for KEYWARD_* overrides (default: process.env). */
  env?: Record<string, string | undefined>;
  /**
   * Names for authenticator models by AAGUID, over the bundled list (the `aaguids` package):
   * shown in key lists and used as the default key name. An empty name hides a bundled one.
   */
  authenticatorNames?: Record<string, string>;
  /**
   * The app's sign-in policy (docs/security.md, docs/two-factor.md): `onSignInFailed` sees every
   * refused sign-in and may lock the account; `secondFactorRequired` decides per user and
   * sign-in whether a second factor is owed. Default: none (no lock; `twoFactor.required`).
   */
  policy?: SignInPolicy;
  /**
   * The app's own second factors (a push approval, a code from its own service), offered
   * beside the built-in ones: see AppSecondFactor and docs/two-factor.md. Their names join
   * what `twoFactor.methods` may list (and its default). Default: none.
   */
  secondFactors?: readonly AppSecondFactor[];
  /** Sends SMS second-factor codes (default: prints them to the console; development only). */
  sms?: SmsSender;
  /** Sends email second-factor codes (default: prints them to the console; development only). */
  mailer?: Mailer;
  /**
   * The default HTML pages: where sign-in lands (`home`), English wording (`messages`), and any
   * page or the layout replaced (`render`, `layout`); `enabled: false` serves only the JSON API.
   */
  pages?: PagesOptions;
  /**
   * The app's texts by language tag (docs/languages.md): overrides of a shipped language's
   * messages (`{ de: { "login.title": "Einloggen" } }`), or a language of its own
   * (`{ "pt-BR": { lang: "pt-BR", … } }`, English where a key is left out). Offered per
   * `i18n.locales`, chosen per request by Accept-Language.
   */
  languages?: AppLanguages;
}

/**
 * Something that carries a Cookie (or, with `session.bearer`, an Authorization) header: a
 * Fetch Request, Headers, or Node's IncomingMessage.
 */
export type CookieCarrier = Request | Headers | IncomingMessage;

/** One route as `auth.api.routes()` lists it. */
export interface ApiRoute {
  method: string;
  path: string;
  /** Who may call it: "public" | "session" | "fresh" | "factor-change" (JSON routes only). */
  access?: Access;
  limited?: boolean;
  pending?: boolean;
  /** May answer with a new session, as a bearer token when asked (`"session": "token"`). */
  signsIn?: boolean;
}

export interface Keyward {
  readonly config: KeywardConfig;
  /** Handles a Fetch API request (Hono, Bun, Deno, workers); pass `{ ip }` as env to record IPs. */
  fetch(request: Request, env?: { ip?: string; incoming?: IncomingMessage }): Promise<Response>;
  /** Typed events at every state change; also written to the event table. */
  readonly events: Pick<KeywardEvents, "on">;
  /** Middleware for app routes (Hono or Express/Connect) demanding a session level. */
  require(requirement?: Requirement): RequireMiddleware;
  readonly api: {
    /**
     * The signed-in user and session behind a request, or undefined (also for a limited
     * account-recovery session, which may only register a key).
     */
    getSession(request: CookieCarrier): Promise<ActiveSession | undefined>;
    /**
     * The session behind a request if it meets `requirement`; otherwise throws a KeywardError
     * (UNAUTHENTICATED 401, SESSION_LIMITED, AAL_REQUIRED, REAUTHENTICATION_REQUIRED or
     * FRESHNESS_REQUIRED 403). For frameworks that
     * `require()` does not cover (see keyward/fastify).
     */
    requireSession(request: CookieCarrier, requirement?: Requirement): Promise<ActiveSession>;
    /**
     * A KeywardError's message in the language the request's `Accept-Language` picks (as the
     * JSON API says it; docs/languages.md), for an app or adapter that answers with Keyward's
     * error JSON itself.
     *
     * @example
     * res.status(error.status).json({ error: { code: error.code, message: auth.api.errorMessage(error, req) } });
     */
    errorMessage(error: KeywardError, request: CookieCarrier): string;
    /**
     * The CSRF token a form on the app's own page must carry (as `csrfToken`) to post to
     * Keyward, e.g. a sign-out button posting to `{prefix}/logout`. When the browser has no
     * CSRF cookie yet, `setCookie` is the Set-Cookie header value to send with that page.
     *
     * @example
     * const { token, setCookie } = auth.api.csrfToken(req);
     * if (setCookie) res.setHeader("set-cookie", setCookie);
     */
    csrfToken(request: CookieCarrier): { token: string; setCookie?: string };
    /** Audit events from the event table, newest first (default limit 100, at most 1000). */
    events<T extends KeywardEventType = KeywardEventType>(
      query?: EventsQuery<T>,
    ): Promise<StoredEvent<T>[]>;
    /** Deletes everything expired (states, sessions, codes, tokens); schedule it, or run `keyward cleanup`. */
    cleanup(): Promise<CleanupResult>;
    /**
     * Imports users, their WebAuthn keys, user handles and password hashes from another
     * system, in Keyward's import format (docs/import.md; `readFlaskSecurity` and
     * `readBetterAuth` produce it). Idempotent; `dryRun` writes nothing. `keyward import` runs it.
     */
    importUsers(data: ImportFileInput, options?: ImportOptions): Promise<ImportReport>;
    /**
     * Every route Keyward answers, as method and path: for tooling, docs and route tables. The
     * JSON routes also say who may call them (`access`, see the security guide), whether a
     * limited recovery session is accepted, and whether they also serve a pending sign-in.
     */
    routes(): ApiRoute[];
    /** What only administrators do: find, list, create, deactivate, reset; see docs/admin.md. */
    readonly admin: AdminApi;
  };
  /** Graceful shutdown: refuses new requests (503), lets in-flight ones finish, closes connections. */
  close(): Promise<void>;
}

function header(
  carrier: CookieCarrier,
  name: "cookie" | "authorization" | "accept-language",
): string | undefined {
  if (carrier instanceof Headers) return carrier.get(name) ?? undefined;
  if (carrier instanceof Request) return carrier.headers.get(name) ?? undefined;
  const value = carrier.headers[name];
  return Array.isArray(value) ? value.join(name === "accept-language" ? ", " : "; ") : value;
}

/**
 * Creates a Keyward instance: validates config (with KEYWARD_* overrides), opens and migrates
 * the store, and wires the features and HTTP routes.
 */
export async function createKeyward(options: KeywardOptions): Promise<Keyward> {
  const {
    webauthnUtil: Util = WebauthnUtil,
    clock = systemClock,
    env,
    authenticatorNames,
    sms = consoleSmsSender,
    mailer = consoleMailer,
    policy = {},
    pages,
    secondFactors = [],
    languages,
    ...input
  } = options;
  const factors = registryFor(secondFactors);
  checkSenders({ sms, mailer });
  const config = loadConfig(withAppFactors(input, secondFactors), env ?? process.env);
  checkListedMethods(config, factors);
  // Before the store opens: a language that does not parse stops the start with nothing open.
  const offered = new Languages(config.i18n, languages, pages?.messages);
  const { store, health } = await openStore(config, clock);
  const events = new KeywardEvents(clock);
  const sessions = new Sessions(config, clock);
  const ctx: KeywardContext = {
    config,
    store,
    clock,
    sessions,
    cookies: new Cookies(config),
    ...workOn(store, events),
    webauthnUtil: new Util(config),
    factors,
    policy,
    authenticatorNames: normaliseNames(authenticatorNames),
    sms,
    mailer,
    health,
    background: new BackgroundTasks(),
    languages: offered,
  };
  const { app, declared } = createHttpApp(ctx, pages);
  const accessOf = new Map(
    declared.map((route) => [`${route.method} ${config.prefix}${route.path}`, route]),
  );

  const shutdown = new GracefulShutdown((error, request) =>
    message(error, request.headers.get("accept-language") ?? undefined),
  );

  /** The session a request carries: its bearer token if it sends one, else its cookie's. */
  const carried = (carrier: CookieCarrier) => {
    const bearer = bearerOf(config, header(carrier, "authorization"));
    if (bearer !== undefined) return { bearer: true, token: bearer };
    return { bearer: false, token: ctx.cookies.read(header(carrier, "cookie"), "session") };
  };
  const resolve = (carrier: CookieCarrier) => sessions.resolve(store, carried(carrier).token);
  // A limited session (account recovery) is not signed in as far as the app is concerned.
  const getSession = async (carrier: CookieCarrier) => {
    const active = await resolve(carrier);
    return active?.session.limited === null ? active : undefined;
  };

  const authorise = async (carrier: CookieCarrier, requirement: Requirement) => {
    const { bearer, token } = carried(carrier);
    const active = await sessions.resolve(store, token);
    // A bearer that names no session is refused as such: no cookie is tried instead.
    if (!active && bearer) throw new KeywardError(ErrorCode.BEARER_TOKEN_INVALID);
    if (!active) throw new KeywardError(ErrorCode.UNAUTHENTICATED);
    sessions.refuseLimited(active.session);
    checkRequirement(active.session, requirement, sessions);
    return active;
  };

  // Browsers opening a guarded app page are sent to sign in (or to confirm it's them) and back.
  const pageRedirect = (error: KeywardError, request: GuardedRequest) =>
    pages?.enabled === false ? undefined : pageRedirectFor(error.code, request, config.prefix);
  const message = (error: KeywardError, acceptLanguage: string | undefined) =>
    apiMessage(offered.get(offered.pick(acceptLanguage)), error);
  const gate = { authorise, pageRedirect, message };

  const auth: Keyward = {
    config,
    fetch: (request, bindings) => shutdown.track(request, () => app.fetch(request, bindings ?? {})),
    events,
    require: (requirement = {}) => requireMiddleware(gate, checkedRequirement(requirement)),
    api: {
      getSession,
      requireSession: async (carrier, requirement = {}) =>
        authorise(carrier, checkedRequirement(requirement)),
      errorMessage: (error, carrier) => message(error, header(carrier, "accept-language")),
      csrfToken: (carrier) => formToken(ctx.cookies, config.secret, header(carrier, "cookie")),
      events: (query) => listEvents(store, query),
      cleanup: () => cleanupExpired(ctx),
      admin: adminApi(ctx),
      importUsers: (data, options) => importUsers(ctx, data, options),
      routes: () =>
        app.routes
          .filter((route) => route.method !== "ALL")
          .map((route) => {
            const rule = accessOf.get(`${route.method} ${route.path}`);
            return {
              method: route.method,
              path: route.path,
              ...(rule
                ? {
                    access: rule.access,
                    limited: rule.limited,
                    pending: rule.pending,
                    signsIn: rule.signsIn,
                  }
                : {}),
            };
          }),
    },
    close: () =>
      shutdown.close(async () => {
        await ctx.background.idle();
        await store.close();
      }),
  };
  keepStore(auth, store);
  return auth;
}

export type { AccessReset } from "./account/admin.js";
export type { AdminActor, AdminApi, AdminUser } from "./account/admin-api.js";
export type { AccountMail, AccountMailKind } from "./account/mails.js";
export { loadConfig } from "./config/load.js";
export type { KeywardConfig, KeywardConfigInput } from "./config/schema.js";
export type { ActiveSession, ClientInfo } from "./core/caller.js";
export type { Clock } from "./core/clock.js";
export { ConfigError, ErrorCode, KeywardError } from "./core/errors.js";
export type { EventsQuery, StoredEvent } from "./core/event-query.js";
export type {
  KeywardEvent,
  KeywardEventMap,
  KeywardEventType,
  SignInMethod,
  SignInStage,
} from "./core/events.js";
export type {
  LockDecision,
  RefusedSignIn,
  SignInContext,
  SignInPolicy,
} from "./core/policy.js";
export type {
  Aal,
  AccountLock,
  AccountTokenPurpose,
  Amr,
  Credential,
  PublicUser,
  Session,
  SessionLimit,
  Usage,
  User,
} from "./core/types.js";
export type {
  AppFactorAmr,
  AppFactorAttempt,
  AppFactorPairing,
  AppFactorSent,
  AppFactorSetup,
  AppFactorVerdict,
  AppSecondFactor,
} from "./factors/app-factor.js";
export {
  consoleMailer,
  consoleSmsSender,
  type Mailer,
  type MailMessage,
  type SmsSender,
} from "./factors/delivery.js";
export type { RequireMiddleware } from "./http/require.js";
export type { Access } from "./http/route.js";
export type { AppLanguages } from "./i18n/offered.js";
export type { Requirement } from "./session/assurance.js";
export type { SessionSummary } from "./session/manage.js";
export { type KeyPlacement, WebauthnUtil, type WebauthnUtilClass } from "./webauthn/util.js";
