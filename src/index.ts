import type { IncomingMessage, ServerResponse } from "node:http";
import type { Context as HonoContext, Next } from "hono";
import { loadConfig } from "./config/load.js";
import type { KeywardConfig, KeywardConfigInput } from "./config/schema.js";
import type { KeywardContext } from "./context.js";
import { type Clock, systemClock } from "./core/clock.js";
import { ErrorCode, KeywardError, statusOf } from "./core/errors.js";
import { KeywardEvents } from "./core/events.js";
import { createHttpApp } from "./http/app.js";
import { checkRequirement, type Requirement } from "./session/assurance.js";
import { readCookie } from "./session/cookies.js";
import { type ActiveSession, Sessions } from "./session/sessions.js";
import { openKyselyStore } from "./store/kysely/index.js";
import type { Store } from "./store/store.js";
import { WebauthnUtil, type WebauthnUtilClass } from "./webauthn/util.js";

export interface KeywardOptions extends KeywardConfigInput {
  /** A WebauthnUtil subclass deciding WebAuthn policy (default: WebauthnUtil). */
  webauthnUtil?: WebauthnUtilClass;
  /** Where time comes from (default: the system clock); tests pass a ManualClock. */
  clock?: Clock;
  /** Environment for KEYWARD_* overrides (default: process.env). */
  env?: Record<string, string | undefined>;
}

/** Something that carries a Cookie header: a Fetch Request, Headers, or Node's IncomingMessage. */
export type CookieCarrier = Request | Headers | IncomingMessage;

type ExpressNext = (error?: unknown) => void;
type RequireMiddleware = {
  (c: HonoContext, next: Next): Promise<Response | undefined>;
  (req: IncomingMessage, res: ServerResponse, next: ExpressNext): Promise<void>;
};

export interface Keyward {
  readonly config: KeywardConfig;
  /** Handles a Fetch API request (Hono, Bun, Deno, workers); pass `{ ip }` as env to record IPs. */
  fetch(request: Request, env?: { ip?: string; incoming?: IncomingMessage }): Promise<Response>;
  /** Typed events at every state change; also written to the event table. */
  readonly events: Pick<KeywardEvents, "on">;
  /** Middleware for app routes (Hono or Express/Connect) demanding a session level. */
  require(requirement?: Requirement): RequireMiddleware;
  readonly api: {
    /** The signed-in user and session behind a request, or undefined. */
    getSession(request: CookieCarrier): Promise<ActiveSession | undefined>;
  };
  /** The store, for tests and tooling. */
  readonly store: Store;
  /** Closes database connections. */
  close(): Promise<void>;
}

function cookieHeader(carrier: CookieCarrier): string | undefined {
  if (carrier instanceof Headers) return carrier.get("cookie") ?? undefined;
  if (carrier instanceof Request) return carrier.headers.get("cookie") ?? undefined;
  const value = carrier.headers.cookie;
  return Array.isArray(value) ? value.join("; ") : value;
}

function errorJson(error: KeywardError) {
  return { error: { code: error.code, message: error.message } };
}

/**
 * Creates a Keyward instance: validates config (with KEYWARD_* overrides), opens and migrates
 * the store, and wires the features and HTTP routes.
 */
export async function createKeyward(options: KeywardOptions): Promise<Keyward> {
  const { webauthnUtil: Util = WebauthnUtil, clock = systemClock, env, ...input } = options;
  const config = loadConfig(input as KeywardConfigInput, env ?? process.env);
  const store = await openKyselyStore(config.database, { clock, migrate: config.migrate });
  const events = new KeywardEvents(clock);
  const sessions = new Sessions(config, clock);
  const ctx: KeywardContext = {
    config,
    store,
    clock,
    sessions,
    events,
    webauthnUtil: new Util(config),
  };
  const app = createHttpApp(ctx);

  const getSession = (carrier: CookieCarrier) =>
    sessions.resolve(store, readCookie(cookieHeader(carrier), config.session.cookieName));

  const authorise = async (carrier: CookieCarrier, requirement: Requirement) => {
    const active = await getSession(carrier);
    if (!active) throw new KeywardError(ErrorCode.UNAUTHENTICATED, "Sign in first.");
    checkRequirement(active.session, requirement, (s, within) => sessions.isFresh(s, within));
    return active;
  };

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
        res.writeHead(error.status, { "content-type": "application/json" });
        res.end(JSON.stringify(errorJson(error)));
        return;
      }
      c();
    }) as RequireMiddleware;
  }

  return {
    config,
    fetch: async (request, bindings) => app.fetch(request, bindings ?? {}),
    events,
    require,
    api: { getSession },
    store,
    close: () => store.close(),
  };
}

export { loadConfig } from "./config/load.js";
export { configKeys } from "./config/reference.js";
export type { KeywardConfig, KeywardConfigInput } from "./config/schema.js";
export { type Clock, ManualClock } from "./core/clock.js";
export { ConfigError, ErrorCode, KeywardError } from "./core/errors.js";
export type { KeywardEvent, KeywardEventMap, KeywardEventType } from "./core/events.js";
export type { Aal, Amr, Credential, PublicUser, Session, Usage, User } from "./core/types.js";
export type { Requirement } from "./session/assurance.js";
export type { ActiveSession } from "./session/sessions.js";
export { migrate } from "./store/kysely/index.js";
export type { Store } from "./store/store.js";
export { WebauthnUtil, type WebauthnUtilClass } from "./webauthn/util.js";
