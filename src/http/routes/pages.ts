import type { Context, Hono } from "hono";
import { z } from "zod";
import type { KeywardContext } from "../../context.js";
import type { HttpEnv } from "../env.js";
import { nextOf, seeOther } from "../negotiate.js";
import type { RouteTable } from "../route.js";

import { optionalSession } from "../session-cookie.js";
import { setPendingCookie } from "../signin-response.js";
import { lifecyclePageRoutes } from "./pages-lifecycle.js";
import { codeMethod, type Pages } from "./pages-render.js";

const continueBody = z.object({ state: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/) });

/**
 * The HTML pages, at the same paths as the JSON API they post to (DESIGN §7): GET renders the
 * page; the form posts go to the JSON routes, which redirect or show the page again.
 */
export function pageRoutes(
  app: Hono<HttpEnv>,
  routes: RouteTable,
  ctx: KeywardContext,
  pages: Pages,
): void {
  const prefix = ctx.config.prefix;
  /** The signed-in user, or a redirect to sign in that comes back here. */
  const signedIn = async (c: Context<HttpEnv>, here: string) => {
    const active = await optionalSession(ctx, c);
    if (active) return { active };
    const next = nextOf(c);
    const back = `${prefix}${here}${next ? `?next=${encodeURIComponent(next)}` : ""}`;
    return { redirect: seeOther(c, pages.loginUrl(back)) };
  };

  app.get("/login", (c) => pages.login(c));
  app.get("/register", (c) => pages.register(c));
  app.get("/register/passkey", async (c) => {
    const found = await signedIn(c, "/register/passkey");
    return found.active ? pages.registerPasskey(c, found.active) : found.redirect;
  });

  app.get("/verify", async (c) => {
    const found = await signedIn(c, "/verify");
    return found.active ? pages.verify(c, found.active) : found.redirect;
  });

  app.get("/account", async (c) => {
    const found = await signedIn(c, "/account");
    return found.active ? pages.account(c, found.active) : found.redirect;
  });

  app.get("/code-signin", (c) => pages.codeSignIn(c));
  app.get("/tf-select", (c) => pages.secondFactor(c));
  app.get("/tf-validate", (c) =>
    pages.secondFactorCode(c, codeMethod(ctx.factors, c.req.query("method"))),
  );

  // The browser script hands a pending sign-in (from a passkey without user verification, say)
  // to the second-factor page: the state goes into the same cookie a password form sets.
  // The state must already be this browser's (set with the JSON answer that handed it out).
  routes.post(
    "/tf-continue",
    {
      body: continueBody,
      access: "public",
      continues: (input) => input.state,
      summary: "Hand a pending sign-in to the second-factor page",
      tag: "two-factor",
      returns: "page",
    },
    (c, input) => {
      setPendingCookie(ctx, c, input.state);
      const next = nextOf(c);
      return seeOther(c, `${prefix}/tf-select${next ? `?next=${encodeURIComponent(next)}` : ""}`);
    },
  );

  // Reset password, recover the account, confirm email, change password / email, sessions.
  lifecyclePageRoutes(app, ctx, pages);
}
