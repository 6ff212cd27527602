import type { Context, Hono } from "hono";
import { z } from "zod";
import type { KeywardContext } from "../context.js";
import type { ActiveSession } from "../core/caller.js";
import { ErrorCode, KeywardError } from "../core/errors.js";
import { hashToken } from "../core/ids.js";
import { requireFactorChangeSession } from "../factors/reach.js";
import { holdsPendingSignIn } from "../factors/two-factor.js";
import { parseInput } from "./body.js";
import { askForToken, callerOf } from "./caller.js";
import type { HttpEnv } from "./env.js";
import { optionalSession } from "./session-cookie.js";

/**
 * Who may call a route, declared with it and checked here before its handler runs:
 * - `public`: anyone (sign-in starts, links from mails); the handler reads no session.
 * - `session`: a signed-in, full session.
 * - `fresh`: a session earned or re-verified within `session.freshWithin`.
 * - `factor-change`: adds, removes or changes an authenticator or what controls recovery; a
 *   fresh session at the highest assurance level the account can reach (factors/reach.ts).
 */
export type Access = "public" | "session" | "fresh" | "factor-change";

/**
 * What a sign-in route's JSON body may add (RouteRule.signsIn): how the client wants its
 * session. The OpenAPI document lists it on those routes.
 */
export const sessionChoice = z.object({
  session: z
    .enum(["cookie", "token"])
    .optional()
    .describe(
      '"token": answer with the session as a bearer token (and, if a second factor is owed, a pendingToken) instead of a cookie; needs session.bearer',
    ),
});

/** The groups of the OpenAPI document. */
export type Tag = "accounts" | "webauthn" | "two-factor" | "lifecycle" | "service";

/**
 * What a route declares besides its path: who may call it and its exceptions, and what the
 * OpenAPI document says of it (summary, group, success body, the errors only it answers).
 */
export interface RouteRule<Input> {
  access: Access;
  /** One line for the OpenAPI document. */
  summary: string;
  tag: Tag;
  /**
   * The success body (a schema from http/responses.ts), or "page" for a route that serves the
   * HTML pages' forms only (a redirect) and is left out of the API document.
   */
  returns: z.ZodType | "page";
  /** The success status of a JSON answer (default 200). */
  status?: 201;
  /**
   * The error codes this route's feature may answer with. Those its declaration implies (body,
   * CSRF, access, `continues`, store faults) are added by `errorsOf`; do not repeat them.
   */
  errors?: readonly ErrorCode[];
  /** A limited (account-recovery) session is accepted too; see Session.limited. */
  limited?: "allow";
  /**
   * The route may end a sign-in with a new session: its JSON body may ask for the session as
   * a bearer token (`"session": "token"`, with `session.bearer` on) instead of a cookie.
   */
  signsIn?: true;
  /**
   * When this holds, the request continues a sign-in in progress (its pending state, which the
   * feature checks) instead of acting for a session: no session is required or checked.
   */
  pendingWhen?: (input: Input, active: ActiveSession | undefined) => boolean;
  /**
   * When this holds, the body carries a proof of presence that the feature checks (the
   * current password); it stands in for freshness, never for the assurance level.
   */
  presenceWhen?: (input: Input) => boolean;
  /**
   * The request continues the pending sign-in named by this state (from its body): it must be
   * the one this browser holds in its pending cookie, or the request is refused before the
   * handler (STATE_INVALID). Without a state in the body, the handler uses the cookie's.
   */
  continues?: (input: Input) => string | undefined;
  /** Turns a refusal into a page for HTML forms (the lifecycle pages); JSON is unaffected. */
  onFailure?: (c: Context<HttpEnv>, error: KeywardError) => Promise<Response | undefined>;
}

/** A declared route, as `auth.api.routes()`, the route-table test and the OpenAPI document list it. */
export interface DeclaredRoute {
  method: "GET" | "POST";
  path: string;
  access: Access;
  limited: boolean;
  /** Also serves a sign-in in progress (see RouteRule.pendingWhen). */
  pending: boolean;
  /** May answer with a new session, as a bearer token when asked (see RouteRule.signsIn). */
  signsIn: boolean;
  summary: string;
  tag: Tag;
  returns: z.ZodType | "page";
  status: 200 | 201;
  /** The request body's schema (POST): the very one the route validates with. */
  body: z.ZodType | undefined;
  /** Every error code the route may answer with (see errorsOf). */
  errors: readonly ErrorCode[];
}

/**
 * Every code a route may answer with: what its declaration implies (the body read and CSRF
 * check of every POST, the access check below, a `continues` state, store faults) and the
 * codes its feature adds.
 */
export function errorsOf(method: "GET" | "POST", rule: RouteRule<never>): ErrorCode[] {
  const codes = new Set<ErrorCode>(rule.errors ?? []);
  const add = (...more: ErrorCode[]) => {
    for (const code of more) codes.add(code);
  };
  if (method === "POST") {
    add("INVALID_INPUT", "MALFORMED_JSON", "UNSUPPORTED_MEDIA_TYPE", "BODY_TOO_LARGE");
    add("CSRF_FAILED");
  }
  if (rule.continues) add("STATE_INVALID");
  if (rule.signsIn) add("BEARER_TOKENS_DISABLED");
  if (rule.access !== "public") {
    add("UNAUTHENTICATED", "BEARER_TOKEN_INVALID");
    if (rule.limited !== "allow") add("SESSION_LIMITED");
  }
  if (rule.access === "fresh") add("FRESHNESS_REQUIRED");
  if (rule.access === "factor-change") {
    add("AAL_REQUIRED", "REAUTHENTICATION_REQUIRED", "FRESHNESS_REQUIRED");
  }
  add("STORE_UNAVAILABLE", "INTERNAL");
  const order = Object.values(ErrorCode) as ErrorCode[];
  return order.filter((code) => codes.has(code));
}

/** The session a handler is given: none for public routes, maybe none while a sign-in is pending. */
type ActiveFor<Rule> = Rule extends { access: "public" }
  ? undefined
  : Rule extends { pendingWhen: (...args: never[]) => boolean }
    ? ActiveSession | undefined
    : ActiveSession;

type Handler<Input, Active> = (
  c: Context<HttpEnv>,
  input: Input,
  active: Active,
) => Response | Promise<Response>;

/**
 * Every JSON route is declared here once: method, path, body schema and who may call it. The
 * body is parsed and the caller checked before the handler runs, so a route cannot forget a
 * rule its siblings have; `declared` lists them all with their access.
 */
export class RouteTable {
  readonly declared: DeclaredRoute[] = [];

  constructor(
    private readonly app: Hono<HttpEnv>,
    private readonly ctx: KeywardContext,
  ) {}

  post<S extends z.ZodType, Rule extends RouteRule<z.output<S>>>(
    path: string,
    spec: Rule & { body: S },
    handler: Handler<z.output<S>, ActiveFor<Rule>>,
  ): void {
    this.declare("POST", path, spec, spec.body);
    this.app.post(path, (c) =>
      this.guarded(c, spec, async () => {
        const input = parseInput(spec.body, c.get("input"));
        const active = await this.authorise(c, spec, input);
        return handler(c, input, active as ActiveFor<Rule>);
      }),
    );
  }

  get<Rule extends RouteRule<undefined>>(
    path: string,
    spec: Rule,
    handler: (c: Context<HttpEnv>, active: ActiveFor<Rule>) => Response | Promise<Response>,
  ): void {
    this.declare("GET", path, spec, undefined);
    this.app.get(path, (c) =>
      this.guarded(c, spec, async () => {
        const active = await this.authorise(c, spec, undefined);
        return handler(c, active as ActiveFor<Rule>);
      }),
    );
  }

  private declare(
    method: DeclaredRoute["method"],
    path: string,
    rule: RouteRule<never>,
    body: z.ZodType | undefined,
  ): void {
    this.declared.push({
      method,
      path,
      access: rule.access,
      limited: rule.limited === "allow",
      pending: rule.pendingWhen !== undefined,
      signsIn: rule.signsIn === true,
      summary: rule.summary,
      tag: rule.tag,
      returns: rule.returns,
      status: rule.status ?? 200,
      body,
      errors: errorsOf(method, rule),
    });
  }

  private async guarded(
    c: Context<HttpEnv>,
    rule: RouteRule<never>,
    run: () => Promise<Response>,
  ): Promise<Response> {
    if (!rule.onFailure) return run();
    try {
      return await run();
    } catch (error) {
      if (error instanceof KeywardError) {
        const page = await rule.onFailure(c, error);
        if (page) return page;
      }
      throw error;
    }
  }

  /**
   * How a sign-in's client wants its session: `"session": "token"` in a JSON body asks for a
   * bearer token (app.ts has already made such a request a bearer request, with no cookie and
   * no CSRF check); refused while bearer tokens are off.
   */
  private readSessionChoice(c: Context<HttpEnv>): void {
    const choice = sessionChoice.safeParse(c.get("input") ?? {});
    if (!choice.success) {
      throw new KeywardError(ErrorCode.INVALID_INPUT, 'session: "cookie" or "token"', {
        field: "session",
      });
    }
    if (choice.data.session !== "token") return;
    if (!this.ctx.config.session.bearer) throw new KeywardError(ErrorCode.BEARER_TOKENS_DISABLED);
    askForToken(this.ctx, c);
  }

  /** The one place a route's access is checked. */
  private async authorise<Input>(
    c: Context<HttpEnv>,
    rule: RouteRule<Input>,
    input: Input,
  ): Promise<ActiveSession | undefined> {
    const { ctx } = this;
    if (rule.signsIn) this.readSessionChoice(c);
    const caller = callerOf(ctx, c);
    const named = rule.continues?.(input);
    if (named !== undefined && !(await holdsPendingSignIn(ctx, hashToken(named), caller))) {
      throw new KeywardError(
        ErrorCode.STATE_INVALID,
        "This sign-in was started in another browser or app; sign in again here.",
      );
    }
    if (rule.access === "public") return undefined;
    const active = await optionalSession(ctx, c, { limited: "allow" });
    if (rule.pendingWhen?.(input, active)) return active;
    // A bearer that names no session is refused as such: no cookie is tried instead.
    if (!active && caller.carrier === "bearer") {
      throw new KeywardError(ErrorCode.BEARER_TOKEN_INVALID);
    }
    if (!active) throw new KeywardError(ErrorCode.UNAUTHENTICATED);
    if (rule.limited !== "allow") ctx.sessions.refuseLimited(active.session);
    if (rule.access === "fresh") ctx.sessions.requireFresh(active.session);
    if (rule.access === "factor-change") {
      await requireFactorChangeSession(ctx, active, {
        presenceProven: rule.presenceWhen?.(input) ?? false,
      });
    }
    return active;
  }
}
