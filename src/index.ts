import type { IncomingMessage, ServerResponse } from "node:http";
import type { Context as HonoContext, Next } from "hono";
import { loadConfig } from "./config/load.js";
import type { KeywardConfig, KeywardConfigInput } from "./config/schema.js";
import { type KeywardContext, workOn } from "./context.js";
import { BackgroundTasks } from "./core/background.js";
import { type Clock, systemClock } from "./core/clock.js";
import { ErrorCode, KeywardError, statusOf } from "./core/errors.js";
import { type EventsQuery, listEvents, type StoredEvent } from "./core/event-query.js";
import { KeywardEvents, type KeywardEventType } from "./core/events.js";
import type { SignInPolicy } from "./core/policy.js";
import {
  consoleMailer,
  consoleSmsSender,
  type Mailer,
  type SmsSender,
} from "./factors/delivery.js";
import { createHttpApp } from "./http/app.js";
import { pageRedirectFor } from "./http/negotiate.js";
import type { Access } from "./http/route.js";
import { GracefulShutdown } from "./http/shutdown.js";
import { checkRequirement, type Requirement } from "./session/assurance.js";
import { type CleanupResult, cleanupExpired } from "./session/cleanup.js";
import { Cookies } from "./session/cookies.js";
import { type ActiveSession, Sessions } from "./session/sessions.js";
import { openStore } from "./store/open.js";
import type { Store } from "./store/store.js";
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
  /** Sends SMS second-factor codes (default: prints them to the console; development only). */
  sms?: SmsSender;
  /** Sends email second-factor codes (default: prints them to the console; development only). */
  mailer?: Mailer;
  /**
   * The default HTML pages: where sign-in lands (`home`), translations (`messages`), and any
   * page or the layout replaced (`render`, `layout`); `enabled: false` serves only the JSON API.
   */
  pages?: PagesOptions;
}

/** Something that carries a Cookie header: a Fetch Request, Headers, or Node's IncomingMessage. */
export type CookieCarrier = Request | Headers | IncomingMessage;

type ExpressNext = (error?: unknown) => void;
type RequireMiddleware = {
  (c: HonoContext, next: Next): Promise<Response | undefined>;
  (req: IncomingMessage, res: ServerResponse, next: ExpressNext): Promise<void>;
};

/** One route as `auth.api.routes()` lists it. */
export interface ApiRoute {
  method: string;
  path: string;
  /** Who may call it: "public" | "session" | "fresh" | "factor-change" (JSON routes only). */
  access?: Access;
  limited?: boolean;
  pending?: boolean;
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
    /** Audit events from the event table, newest first (default limit 100, at most 1000). */
    events<T extends KeywardEventType = KeywardEventType>(
      query?: EventsQuery<T>,
    ): Promise<StoredEvent<T>[]>;
    /** Deletes everything expired (states, sessions, codes, tokens); schedule it, or run `keyward cleanup`. */
    cleanup(): Promise<CleanupResult>;
    /**
     * Every route Keyward answers, as method and path: for tooling, docs and route tables. The
     * JSON routes also say who may call them (`access`, see the security guide), whether a
     * limited recovery session is accepted, and whether they also serve a pending sign-in.
     */
    routes(): ApiRoute[];
  };
  /** The store, for tests and tooling. */
  readonly store: Store;
  /** Graceful shutdown: refuses new requests (503), lets in-flight ones finish, closes connections. */
  close(): Promise<void>;
}

function cookieHeader(carrier: CookieCarrier): string | undefined {
  if (carrier instanceof Headers) return carrier.get("cookie") ?? undefined;
  if (carrier instanceof Request) return carrier.headers.get("cookie") ?? undefined;
  const value = carrier.headers.cookie;
  return Array.isArray(value) ? value.join("; ") : value;
}

function errorJson(error: KeywardError) {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details ? { details: error.details } : {}),
    },
  };
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
    ...input
  } = options;
  const config = loadConfig(input as KeywardConfigInput, env ?? process.env);
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
    policy,
    authenticatorNames: normaliseNames(authenticatorNames),
    sms,
    mailer,
    health,
    background: new BackgroundTasks(),
  };
  const { app, declared } = createHttpApp(ctx, pages);
  const accessOf = new Map(
    declared.map((route) => [`${route.method} ${config.prefix}${route.path}`, route]),
  );

  const shutdown = new GracefulShutdown();

  const resolve = (carrier: CookieCarrier) =>
    sessions.resolve(store, ctx.cookies.read(cookieHeader(carrier), "session"));
  // A limited session (account recovery) is not signed in as far as the app is concerned.
  const getSession = async (carrier: CookieCarrier) => {
    const active = await resolve(carrier);
    return active?.session.limited === null ? active : undefined;
  };

  const authorise = async (carrier: CookieCarrier, requirement: Requirement) => {
    const active = await resolve(carrier);
    if (!active) throw new KeywardError(ErrorCode.UNAUTHENTICATED);
    sessions.refuseLimited(active.session);
    checkRequirement(active.session, requirement, sessions);
    return active;
  };

  // Browsers opening a guarded app page are sent to sign in (or to confirm it's them) and back.
  const pageRedirect = (
    error: KeywardError,
    request: { method: string; accept: string | undefined; path: string },
  ) => (pages?.enabled === false ? undefined : pageRedirectFor(error.code, request, config.prefix));

  function require(requirement: Requirement = {}): RequireMiddleware {
    return (async (a: HonoContext | IncomingMessage, b: Next | ServerResponse, c?: ExpressNext) => {
      if (c === undefined) {
        const honoContext = a as HonoContext;
        try {
          honoContext.set(
            "keyward" as never,
            (await authorise(honoContext.req.raw, requirement)) as never,
          );
        } catch (error) {
          if (!(error instanceof KeywardError)) throw error;
          const url = new URL(honoContext.req.url);
          const to = pageRedirect(error, {
            method: honoContext.req.method,
            accept: honoContext.req.header("accept"),
            path: url.pathname + url.search,
          });
          if (to) return honoContext.redirect(to, 303);
          return honoContext.json(errorJson(error), statusOf(error.code) as 401);
        }
        await (b as Next)();
        return undefined;
      }
      const req = a as IncomingMessage & { keyward?: ActiveSession };
      const res = b as ServerResponse;
      try {
        req.keyward = await authorise(req, requirement);
      } catch (error) {
        if (!(error instanceof KeywardError)) return c(error);
        const to = pageRedirect(error, {
          method: req.method ?? "GET",
          accept: req.headers.accept,
          path: (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? "/",
        });
        if (to) {
          res.writeHead(303, { location: to });
          res.end();
          return;
        }
        res.writeHead(error.status, { "content-type": "application/json" });
        res.end(JSON.stringify(errorJson(error)));
        return;
      }
      c();
    }) as RequireMiddleware;
  }

  return {
    config,
    fetch: (request, bindings) => shutdown.track(() => app.fetch(request, bindings ?? {})),
    events,
    require,
    api: {
      getSession,
      requireSession: (carrier, requirement = {}) => authorise(carrier, requirement),
      events: (query) => listEvents(store, query),
      cleanup: () => cleanupExpired(ctx),
      routes: () =>
        app.routes
          .filter((route) => route.method !== "ALL")
          .map((route) => {
            const rule = accessOf.get(`${route.method} ${route.path}`);
            return {
              method: route.method,
              path: route.path,
              ...(rule
                ? { access: rule.access, limited: rule.limited, pending: rule.pending }
                : {}),
            };
          }),
    },
    store,
    close: () =>
      shutdown.close(async () => {
        await ctx.background.idle();
        await store.close();
      }),
  };
}

export type { AccountMail, AccountMailKind } from "./account/mails.js";
export { loadConfig } from "./config/load.js";
export { configKeys } from "./config/reference.js";
export type { KeywardConfig, KeywardConfigInput } from "./config/schema.js";
export { type Clock, ManualClock } from "./core/clock.js";
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
  AccountTokenPurpose,
  Amr,
  Credential,
  PublicUser,
  Session,
  SessionLimit,
  Usage,
  User,
} from "./core/types.js";
export {
  consoleMailer,
  consoleSmsSender,
  type Mailer,
  type MailMessage,
  type SmsSender,
} from "./factors/delivery.js";
export type { Access } from "./http/route.js";
export type { Requirement } from "./session/assurance.js";
export type { SessionSummary } from "./session/manage.js";
export type { ActiveSession } from "./session/sessions.js";
export { migrate } from "./store/kysely/index.js";
export type { Store } from "./store/store.js";
export {
  type AccountKey,
  type AccountProps,
  alerts,
  defaultMessages,
  defaultPages,
  formState,
  html,
  jsonScript,
  type Layout,
  type LayoutProps,
  type LoginProps,
  layout,
  type MessageKey,
  type Messages,
  type PageBase,
  type PageName,
  type PageProps,
  type PageRenderer,
  type PageRenderers,
  type PagesOptions,
  type RecoveryCodesProps,
  type RegisterPasskeyProps,
  type RegisterProps,
  raw,
  SafeHtml,
  type SecondFactorCodeProps,
  type SecondFactorProps,
  type TotpSetupProps,
  type VerifyProps,
} from "./views/index.js";
export { authenticatorName } from "./webauthn/aaguid.js";
export { WebauthnUtil, type WebauthnUtilClass } from "./webauthn/util.js";
