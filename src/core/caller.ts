import type { Session, User } from "./types.js";

/** Where a request comes from, as http/client.ts reads it (proxies considered). */
export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

/** A signed-in session and its user, as resolved from a request. */
export interface ActiveSession {
  session: Session;
  user: User;
}

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
   * The token of the session this request carries, if any (valid or not): a session started
   * for this caller replaces it, so every privilege change yields a new id (no fixation), and
   * signing out ends it.
   */
  readonly sessionToken: string | undefined;
  /**
   * The pending sign-in this client holds (the state its pending cookie carries): a request
   * that continues a sign-in must hold the one it names (http/route.ts `continues`).
   */
  readonly heldPending: string | undefined;
}
