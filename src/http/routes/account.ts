import { z } from "zod";
import { normaliseUsername } from "../../account/identity.js";
import { signInWithPassword } from "../../account/login.js";
import { registerAccount } from "../../account/register.js";
import { isSingleScript } from "../../account/username-script.js";
import { reverifyWithPassword } from "../../account/verify.js";
import type { KeywardContext } from "../../context.js";
import { toPublicUser } from "../../core/types.js";
import { formToken } from "../../session/csrf.js";
import { signOut } from "../../session/manage.js";
import { callerOf } from "../caller.js";
import { nextOf, reply, withDone } from "../negotiate.js";
import {
  CsrfTokenJson,
  OkJson,
  SessionOnlyJson,
  SignedInJson,
  SignInResultJson,
} from "../responses.js";
import type { RouteTable } from "../route.js";
import { clearSessionCookie, deliverSession, sessionView } from "../session-cookie.js";
import { remember } from "../sign-in-fields.js";
import { signInResponse } from "../signin-response.js";

const email = z.string().trim().min(3).max(254).email();
const password = z.string().min(1).max(1024);

export const registerBody = z.object({
  email,
  password: password.optional(),
  username: z
    .string()
    .trim()
    .min(2)
    .max(64)
    .regex(/^[\p{L}\p{N}._-]+$/u, "letters, digits, dot, dash and underscore only")
    .refine(
      (value) => isSingleScript(normaliseUsername(value)),
      "letters of one alphabet only (no look-alikes from another)",
    )
    .optional(),
});
export const loginBody = z.object({
  identity: z.string().trim().min(1).max(254),
  password,
  remember,
});
export const verifyBody = z.object({ password });

/** Accounts and sessions: register, login, logout, me, password re-verify, CSRF token. */
export function accountRoutes(routes: RouteTable, ctx: KeywardContext): void {
  const maxPassword = ctx.config.accounts.passwordMaxLength;
  const withinLimit = (value: { password?: string | undefined }) =>
    value.password === undefined || value.password.length <= maxPassword;
  const tooLong = { message: `password: at most ${maxPassword} characters`, path: ["password"] };

  routes.post(
    "/register",
    {
      signsIn: true,
      body: registerBody.refine(withinLimit, tooLong),
      access: "public",
      summary: "Create an account and sign it in",
      tag: "accounts",
      returns: SignedInJson,
      status: 201,
      errors: ["EMAIL_TAKEN", "USERNAME_TAKEN", "PASSWORD_REQUIRED", "PASSWORD_TOO_SHORT"],
    },
    async (c, input) => {
      const result = await registerAccount(ctx, input, callerOf(ctx, c));
      if (result.confirmationRequired) {
        // lifecycle.confirmEmail "required": signed in only once the mailed link is opened.
        return reply(
          c,
          () => c.json({ user: result.user, emailConfirmationRequired: true }, 201),
          () => `${ctx.config.prefix}/confirm-email?sent=1`,
        );
      }
      const delivered = deliverSession(ctx, c, result.token, result.session);
      const { nextStep } = result;
      const next = nextOf(c);
      return reply(
        c,
        () =>
          c.json(
            {
              user: result.user,
              session: sessionView(ctx, result.session),
              ...(nextStep ? { nextStep } : {}),
              ...delivered,
            },
            201,
          ),
        () => {
          // Without a password the account signs in again only once it has a passkey.
          if (nextStep === "add-passkey") {
            const back = next ? `?next=${encodeURIComponent(next)}` : "";
            return `${ctx.config.prefix}/register/passkey${back}`;
          }
          if (nextStep === "set-password") return `${ctx.config.prefix}/change-password`;
          return next ?? withDone(`${ctx.config.prefix}/account`, "welcome");
        },
      );
    },
  );

  routes.post(
    "/login",
    {
      signsIn: true,
      body: loginBody.refine(withinLimit, tooLong),
      access: "public",
      summary: "Sign in with a password",
      tag: "accounts",
      returns: SignInResultJson,
      errors: ["INVALID_CREDENTIALS", "EMAIL_NOT_CONFIRMED", "RATE_LIMITED"],
    },
    async (c, input) => {
      const outcome = await signInWithPassword(ctx, input, callerOf(ctx, c));
      return signInResponse(ctx, c, outcome);
    },
  );

  // Public: signing out needs no valid session, and ends whatever the cookie names.
  routes.post(
    "/logout",
    {
      body: z.unknown(),
      access: "public",
      summary: "End the session",
      tag: "accounts",
      returns: OkJson,
    },
    async (c) => {
      await signOut(ctx, callerOf(ctx, c));
      clearSessionCookie(ctx, c);
      return reply(
        c,
        () => c.json({ ok: true }),
        () => withDone(`${ctx.config.prefix}/login`, "signed-out"),
      );
    },
  );

  routes.get(
    "/me",
    {
      access: "session",
      limited: "allow",
      summary: "The signed-in user and session",
      tag: "accounts",
      returns: SignedInJson,
    },
    (c, active) =>
      c.json({ user: toPublicUser(active.user), session: sessionView(ctx, active.session) }),
  );

  routes.post(
    "/verify",
    {
      body: verifyBody.refine(withinLimit, tooLong),
      access: "session",
      summary: "Re-verify the password to freshen the session",
      tag: "accounts",
      returns: SessionOnlyJson,
      errors: ["INVALID_CREDENTIALS", "PASSWORD_NOT_SET", "RATE_LIMITED"],
    },
    async (c, input, active) => {
      await reverifyWithPassword(ctx, active, input.password, callerOf(ctx, c));
      return reply(
        c,
        () => c.json({ session: sessionView(ctx, active.session) }),
        () => nextOf(c) ?? withDone(`${ctx.config.prefix}/account`, "verified"),
      );
    },
  );

  routes.get(
    "/csrf",
    {
      access: "public",
      summary: "A CSRF token for HTML forms",
      tag: "accounts",
      returns: CsrfTokenJson,
    },
    (c) => {
      const { token, setCookie } = formToken(
        ctx.cookies,
        ctx.config.secret,
        c.req.header("cookie"),
      );
      if (setCookie) c.header("Set-Cookie", setCookie, { append: true });
      return c.json({ csrfToken: token });
    },
  );
}
