import { isIP } from "node:net";
import type { Context } from "hono";
import type { KeywardConfig } from "../config/schema.js";
import type { ClientInfo } from "../core/caller.js";
import type { HttpEnv } from "./env.js";

/** Longest User-Agent kept: enough for every real browser, bounded for whatever else. */
const MAX_USER_AGENT = 512;

type ProxyConfig = Pick<KeywardConfig, "trustProxy" | "trustedProxies">;

/**
 * Who is asking. The IP is the socket's peer unless proxies are trusted; then it is read from
 * X-Forwarded-For **from the right**, where each trusted proxy appended the address it saw:
 * past `trustedProxies` addresses, or `trustProxy` hops. The leftmost entries are whatever the
 * client sent and are never believed. Anything that is not an IP address is never returned.
 */
export function clientInfo(c: Context<HttpEnv>, config: ProxyConfig): ClientInfo {
  const peer = validIp(c.env?.ip ?? c.env?.incoming?.socket.remoteAddress);
  const userAgent = c.req.header("user-agent")?.slice(0, MAX_USER_AGENT) ?? null;
  return { ip: forwardedClient(c.req.header("x-forwarded-for"), peer, config) ?? peer, userAgent };
}

function forwardedClient(
  header: string | undefined,
  peer: string | null,
  config: ProxyConfig,
): string | null {
  const hops = config.trustProxy === true ? 1 : config.trustProxy === false ? 0 : config.trustProxy;
  const proxies = config.trustedProxies;
  if (header === undefined || peer === null || (proxies.length === 0 && hops === 0)) return null;
  const trusted = new Set(proxies);
  // The chain as the app sees it: what the proxies appended, then the peer itself.
  const chain = [...header.split(",").map((entry) => entry.trim()), peer];
  if (trusted.size > 0) {
    let index = chain.length - 1;
    while (index > 0 && trusted.has(chain[index]!)) index -= 1;
    return validIp(chain[index]);
  }
  // Fewer entries than hops: the request skipped a proxy; believe only what the first one saw.
  return validIp(chain[Math.max(0, chain.length - 1 - hops)]);
}

function validIp(value: string | undefined): string | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  return isIP(trimmed) !== 0 ? trimmed : null;
}
