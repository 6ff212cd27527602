import type { Context, Hono } from "hono";
import { script, style } from "../browser/generated/assets.js";
import type { HttpEnv } from "./env.js";

const ONE_YEAR = 31_536_000;

interface StaticAsset {
  path: string;
  type: string;
  hash: string;
  source: string;
}

const assets: StaticAsset[] = [
  { path: "/static/keyward.js", type: "text/javascript; charset=utf-8", ...script },
  { path: "/static/keyward.css", type: "text/css; charset=utf-8", ...style },
];

/** The URLs pages link to: the content hash in `?v=` makes each release a new URL. */
export function assetUrls(prefix: string): { script: string; style: string } {
  return {
    script: `${prefix}/static/keyward.js?v=${script.hash}`,
    style: `${prefix}/static/keyward.css?v=${style.hash}`,
  };
}

function serve(c: Context<HttpEnv>, asset: StaticAsset): Response {
  const etag = `"${asset.hash}"`;
  // With the current hash in the URL the content can never change: cache it for a year.
  // Without it (a hand-written <script src>), revalidate every few minutes.
  const versioned = c.req.query("v") === asset.hash;
  c.header(
    "Cache-Control",
    versioned ? `public, max-age=${ONE_YEAR}, immutable` : "public, max-age=300, must-revalidate",
  );
  c.header("ETag", etag);
  if (c.req.header("if-none-match") === etag) return c.body(null, 304);
  c.header("Content-Type", asset.type);
  return c.body(asset.source);
}

/** The prebuilt browser script and the pages' stylesheet, under {prefix}/static/. */
export function staticRoutes(app: Hono<HttpEnv>): void {
  for (const asset of assets) app.get(asset.path, (c) => serve(c, asset));
}
