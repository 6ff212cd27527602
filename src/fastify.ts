import type {
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
  preHandlerAsyncHookHandler,
} from "fastify";
import type { ActiveSession } from "./core/caller.js";
import { KeywardError } from "./core/errors.js";
import type { Keyward } from "./index.js";
import { toNodeHandler } from "./node.js";
import type { Requirement } from "./session/assurance.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The signed-in user and session, set by a `keywardRequire()` pre-handler. */
    keyward?: ActiveSession;
  }
}

export interface KeywardPluginOptions {
  /** The Keyward instance to serve. */
  auth: Keyward;
}

/**
 * Serves Keyward from Fastify: every route under `auth.config.prefix`, and
 * `GET /.well-known/webauthn` at the root. Register it with `app.register(keywardPlugin, { auth })`.
 *
 * Keyward reads request bodies itself (with its own size limit and CSRF check), so the plugin
 * turns Fastify's body parsing off for these routes only: plugins are encapsulated, so the app's
 * own routes keep their parsers. Each request is handed over to the Node adapter (`reply.hijack()`).
 */
export const keywardPlugin: FastifyPluginAsync<KeywardPluginOptions> = async (
  instance,
  { auth },
) => {
  const handle = toNodeHandler(auth);
  instance.removeAllContentTypeParsers();
  instance.addContentTypeParser("*", (_request, _payload, done) => done(null));
  const forward = (request: FastifyRequest, reply: FastifyReply) => {
    reply.hijack();
    handle(request.raw, reply.raw);
  };
  const prefix = auth.config.prefix.replace(/\/+$/, "");
  if (prefix !== "") instance.all(prefix, forward);
  instance.all(`${prefix}/*`, forward);
  if (prefix !== "") instance.get("/.well-known/webauthn", forward);
};

/**
 * A Fastify pre-handler demanding a session that meets `requirement`, as `auth.require()` does
 * for Hono and Express: `app.get("/account", { preHandler: keywardRequire(auth, { aal: 2 }) }, …)`.
 * It answers 401 UNAUTHENTICATED, 403 AAL_REQUIRED, REAUTHENTICATION_REQUIRED or FRESHNESS_REQUIRED
 * with Keyward's error JSON, and otherwise sets `request.keyward` to the user and session.
 */
export function keywardRequire(
  auth: Keyward,
  requirement: Requirement = {},
): preHandlerAsyncHookHandler {
  return async (request, reply) => {
    try {
      request.keyward = await auth.api.requireSession(request.raw, requirement);
    } catch (error) {
      if (!(error instanceof KeywardError)) throw error;
      const { code, details } = error;
      const message = auth.api.errorMessage(error, request.raw);
      return reply
        .code(error.status)
        .send({ error: { code, message, ...(details ? { details } : {}) } });
    }
  };
}
