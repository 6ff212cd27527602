import type { Session, User } from "./types.js";

/** Where a request comes from, as http/client.ts reads it (proxies considered). */
export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
  /**
   * The language this client reads (an offered tag, chosen from its Accept-Language by
   * http/caller.ts): pages, API error messages, and the mails and code texts its requests
   * send, now or later in the background. Absent (the CLI, auth.api.admin): the default one.
   */
  locale?: string;
}

/** A signed-in session and its user, as resolved from a request. */
export interface ActiveSession {
  session: Session;
  user: User;
}

/**
 * How a session reaches its client: the HttpOnly session cookie, or a bearer token in the
 * answer's body that the client sends back as `Authorization: Bearer` (`session.bearer`).
 */
export type SessionCarrier = "cookie" | "bearer";

/**
 * Who is asking: built once per request by http/ (http/caller.ts) and handed to a feature as
 * one value, instead of the client, the request and the session being replaced threaded
 * through every call. Features read what they need of it and pass it on whole.
 */
export interface Caller {
  /** The client's IP and User-Agent: recorded on sessions and events, counted by limits. */
  readonly client: ClientInfo;
  /** The request itself, for policy that may look at it (`WebauthnUtil.origins`). */
  readonly request: Request;
  /**
   * How this client holds sessions: "bearer" when it sends `Authorization: Bearer` or asked
   * for a token at sign-in (`"session": "token"`). A bearer request ignores every cookie.
   */
  readonly carrier: SessionCarrier;
  /**
   * The bearer a token client sent: a session token, or the pending token of a sign-in it
   * continues (which binds that sign-in to this client, as the pending cookie does a browser).
   */
  readonly bearer: string | undefined;
  /**
   * The token of the session this request carries, if any (valid or not; the bearer for a
   * bearer request, else the session cookie's): a session started
   * for this caller replaces it, so every privilege change yields a new id (no fixation), and
   * signing out ends it.
   */
  readonly sessionToken: string | undefined;
  /**
   * The pending sign-in a browser holds (the state its pending cookie carries; never set for
   * a bearer request): a request that continues a sign-in must hold the one it names
   * (http/route.ts `continues`, factors/two-factor.ts `holdsPendingSignIn`).
   */
  readonly heldPending: string | undefined;
}
