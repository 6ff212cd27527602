import type { Context } from "hono";
import type { ClientInfo } from "../session/sessions.js";
import type { HttpEnv } from "./env.js";

/** Who is asking: IP (from the socket, or X-Forwarded-For only when the proxy is trusted) and UA. */
export function clientInfo(c: Context<HttpEnv>, trustProxy: boolean): ClientInfo {
  const forwarded = trustProxy ? c.req.header("x-forwarded-for")?.split(",")[0]?.trim() : undefined;
  const ip = forwarded || c.env?.ip || c.env?.incoming?.socket.remoteAddress || null;
  return { ip, userAgent: c.req.header("user-agent") ?? null };
}
