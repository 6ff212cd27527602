import { z } from "zod";
import { finishCodeSignIn, startCodeSignIn } from "../../account/code-signin.js";
import type { KeywardContext } from "../../context.js";
import { ErrorCode, KeywardError } from "../../core/errors.js";
import { bodyKind } from "../body.js";
import { callerOf } from "../caller.js";
import { nextOf, seeOther, wantsHtml } from "../negotiate.js";
import { CodeSignInStartJson, SignInResultJson } from "../responses.js";
import type { RouteTable } from "../route.js";
import { code, remember } from "../sign-in-fields.js";
import { pendingState, setPendingCookie, signInResponse } from "../signin-response.js";

export const codeSigninBody = z.object({
  identity: z.string().trim().min(1).max(254),
  channel: z.enum(["email", "sms"]),
});
export const codeSigninValidateBody = z.object({
  state: z.string().min(1).max(128).optional(),
  code,
  remember,
});

/**
 * Sign in with a one-time code sent by email or SMS (account/code-signin.ts): /code-signin
 * sends it, /code-signin-validate proves it. Off until `signIn.codes` names a channel.
 */
export function codeSigninRoutes(routes: RouteTable, ctx: KeywardContext): void {
  const { prefix } = ctx.config;

  // The state rides in the pending cookie too: it binds the code to this browser, and carries
  // a form from the login page to the code page.
  routes.post(
    "/code-signin",
    {
      body: codeSigninBody,
      access: "public",
      summary:
        "Send a sign-in code by email or SMS (the same answer whether or not the identity has an account)",
      tag: "accounts",
      returns: CodeSignInStartJson,
      errors: ["CODE_SIGNIN_DISABLED", "RATE_LIMITED"],
    },
    async (c, input) => {
      const started = await startCodeSignIn(ctx, input, callerOf(ctx, c).client);
      setPendingCookie(ctx, c, started.state);
      if (wantsHtml(c)) {
        const next = nextOf(c);
        const back = next ? `&next=${encodeURIComponent(next)}` : "";
        return seeOther(c, `${prefix}/code-signin?channel=${started.channel}${back}`);
      }
      return c.json({ ...started, expiresAt: new Date(started.expiresAt).toISOString() });
    },
  );

  routes.post(
    "/code-signin-validate",
    {
      body: codeSigninValidateBody,
      access: "public",
      continues: (input) => input.state,
      summary: "Sign in with the code sent by /code-signin",
      tag: "accounts",
      returns: SignInResultJson,
      errors: [
        "STATE_EXPIRED",
        "CODE_SIGNIN_INVALID",
        "CODE_SIGNIN_NOT_ALLOWED",
        "EMAIL_NOT_CONFIRMED",
        "RATE_LIMITED",
      ],
    },
    async (c, input) => {
      // A JSON client sends the state in the body; an HTML form may rely on the cookie.
      const form = bodyKind(c.req.header("content-type")) === "form";
      const state = input.state ?? (form ? pendingState(ctx, c) : undefined);
      if (state === undefined) {
        throw new KeywardError(ErrorCode.INVALID_INPUT, "state: required", { field: "state" });
      }
      const outcome = await finishCodeSignIn(
        ctx,
        { state, code: input.code, remember: input.remember },
        callerOf(ctx, c),
      );
      return signInResponse(ctx, c, outcome);
    },
  );
}
