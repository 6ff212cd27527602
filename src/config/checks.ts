import { getPublicSuffix, parse } from "tldts";
import { type KeywardConfig, SECRET_ADVICE } from "./schema.js";

/** A setting that would start but leave users exposed: the key and what to change. */
export interface ConfigIssue {
  key: string;
  reason: string;
}

// The public suffix list's private section counts too (github.io, appspot.com): browsers
// refuse an RP ID there, and one tenant's keys must never work on another's site.
const PSL = { allowPrivateDomains: true } as const;

/** Estimated entropy a secret must reach, in bits (Shannon, over its characters, × length). */
export const MIN_SECRET_BITS = 80;

function isLocalHost(hostname: string): boolean {
  return (
    hostname === "localhost" ||
    hostname.endsWith(".localhost") ||
    /^127\.\d+\.\d+\.\d+$/.test(hostname) ||
    hostname === "[::1]"
  );
}

/** A suffix the public suffix list names (unlisted single labels such as `localhost` are not). */
function isPublicSuffix(domain: string): boolean {
  const parsed = parse(domain, PSL);
  return parsed.publicSuffix === domain && (parsed.isIcann === true || parsed.isPrivate === true);
}

/**
 * HTML's "is a registrable domain suffix of or is equal to", which browsers apply to the RP ID
 * and the page's host: equal, or a dot-separated suffix that is not within the host's public
 * suffix (so `example.com` serves `login.example.com`, `co.uk` serves nobody).
 */
function isRegistrableSuffixOrEqual(rpId: string, host: string): boolean {
  if (rpId === host) return true;
  if (parse(host).isIp || !host.endsWith(`.${rpId}`)) return false;
  const hostSuffix = getPublicSuffix(host, PSL) ?? "";
  return hostSuffix !== rpId && !hostSuffix.endsWith(`.${rpId}`);
}

function checkRpId(config: KeywardConfig): ConfigIssue[] {
  const { id } = config.rp;
  if (isPublicSuffix(id)) {
    return [
      {
        key: "rp.id",
        reason: `"${id}" is a public suffix: keys bound to it would be offered to every site under it; use your registrable domain (e.g. example.${id})`,
      },
    ];
  }
  const issues: ConfigIssue[] = [];
  config.rp.origins.forEach((origin, index) => {
    if (!/^https?:\/\//.test(origin)) return; // app origins (android:apk-key-hash:…) have no host
    const host = new URL(origin).hostname;
    if (isRegistrableSuffixOrEqual(id, host)) return;
    issues.push({
      key: `rp.origins.${index}`,
      reason: `rp.id "${id}" is neither the host of ${origin} nor a registrable suffix of it, so browsers refuse ceremonies there; set rp.id to a domain this origin is under, or move the origin to rp.relatedOrigins (served at https://${id}/.well-known/webauthn)`,
    });
  });
  return issues;
}

function checkSecureCookie(config: KeywardConfig): ConfigIssue[] {
  if (config.session.secureCookie !== "never") return [];
  const https = [...config.rp.origins, ...config.rp.relatedOrigins].find((origin) =>
    origin.startsWith("https://"),
  );
  if (!https) return [];
  return [
    {
      key: "session.secureCookie",
      reason: `"never" would send session cookies over plain http although ${https} is served over https; use "auto" (or "always")`,
    },
  ];
}

function checkBaseUrl(config: KeywardConfig): ConfigIssue[] {
  const { baseUrl } = config.lifecycle;
  if (!baseUrl) return [];
  const url = new URL(baseUrl);
  if (url.protocol === "https:" || isLocalHost(url.hostname)) return [];
  return [
    {
      key: "lifecycle.baseUrl",
      reason: `${baseUrl} is plain http: password reset and recovery links would carry their tokens in the clear; use https://${url.host}${url.pathname === "/" ? "" : url.pathname}`,
    },
  ];
}

/** Shannon entropy of the secret's character frequencies, times its length, in bits. */
function estimatedBits(secret: string): number {
  const chars = [...secret];
  const counts = new Map<string, number>();
  for (const char of chars) counts.set(char, (counts.get(char) ?? 0) + 1);
  let perChar = 0;
  for (const count of counts.values()) {
    const p = count / chars.length;
    perChar -= p * Math.log2(p);
  }
  return perChar * chars.length;
}

/**
 * True when the secret is a short unit said again and again ("changeme-changeme-…",
 * "password×4" + "1"): every character but at most one in eight repeats the one `period` before.
 */
function repeatsAPattern(secret: string): boolean {
  const chars = [...secret];
  const allowed = Math.floor(chars.length / 8);
  for (let period = 1; period <= chars.length / 2; period++) {
    let misses = 0;
    for (let i = period; i < chars.length && misses <= allowed; i++) {
      if (chars[i] !== chars[i - period]) misses++;
    }
    if (misses <= allowed) return true;
  }
  return false;
}

function checkSecret(config: KeywardConfig): ConfigIssue[] {
  const { secret } = config;
  const bits = estimatedBits(secret);
  if (!repeatsAPattern(secret) && bits >= MIN_SECRET_BITS) return [];
  const why = repeatsAPattern(secret)
    ? "it repeats a short pattern"
    : `its estimated entropy is ${Math.round(bits)} bits (at least ${MIN_SECRET_BITS} needed)`;
  return [
    {
      key: "secret",
      reason: `too weak (${why}): ${SECRET_ADVICE}`,
    },
  ];
}

/**
 * Settings the schema accepts but that would leave users exposed. Each issue names the key and
 * what to change, so a dangerous configuration never starts.
 */
export function checkConfig(config: KeywardConfig): ConfigIssue[] {
  return [
    ...checkRpId(config),
    ...checkSecureCookie(config),
    ...checkBaseUrl(config),
    ...checkSecret(config),
  ];
}
