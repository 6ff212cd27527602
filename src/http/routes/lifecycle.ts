import type { Context } from "hono";
import { z } from "zod";
import { completeEmailChange, requestEmailChange } from "../../account/change-email.js";
import { changePassword } from "../../account/change-password.js";
import { confirmEmail, resendEmailConfirmation } from "../../account/confirm-email.js";
import { completeRecovery, requestRecovery } from "../../account/recover.js";
import { completePasswordReset, requestPasswordReset } from "../../account/reset-password.js";
import type { KeywardContext } from "../../context.js";
import { ErrorCode, KeywardError } from "../../core/errors.js";
import { listSessions, revokeSession, signOutEverywhere } from "../../session/manage.js";
import { callerOf } from "../caller.js";
import type { HttpEnv } from "../env.js";
import { reply, wantsHtml, withDone } from "../negotiate.js";
import {
  OkJson,
  OkUserJson,
  SessionListJson,
  SessionRevokedJson,
  SessionsEndedJson,
  SignedInJson,
  SignInResultJson,
} from "../responses.js";
import type { RouteTable } from "../route.js";
import {
  clearSessionCookie,
  deliverSession,
  optionalSession,
  sessionView,
} from "../session-cookie.js";
import { signInResponse } from "../signin-response.js";
import { LifecyclePages } from "./pages-lifecycle.js";
import type { Pages } from "./pages-render.js";

const token = z.string().min(1).max(128);
const email = z.string().trim().min(3).max(254).email();

export const confirmEmailBody = z.object({ token });
export const resendConfirmationBody = z.object({ email: email.optional() });
export const resetPasswordBody = z.object({ email });
export const recoverAccountBody = z.object({ email });
export const recoverAccountCompleteBody = z.object({
  token,
  recoveryCode: z.string().trim().min(1).max(64).optional(),
});
export const changeEmailBody = z.object({ newEmail: email });
export const changeEmailCompleteBody = z.object({ token });
export const revokeSessionBody = z.object({ id: z.string().min(1).max(64) });

/** What spending a mailed link's token may refuse. */
const TOKEN_ERRORS: ErrorCode[] = ["TOKEN_INVALID", "TOKEN_EXPIRED"];

const passwordUpTo = (max: number) => z.string().min(1).max(max, `at most ${max} characters`);
/** Bodies whose password bound comes from `accounts.passwordMaxLength`. */
export const resetCompleteBodyFor = (maxPassword: number) =>
  z.object({ token, password: passwordUpTo(maxPassword) });
export const changePasswordBodyFor = (maxPassword: number) =>
  z.object({
    currentPassword: passwordUpTo(maxPassword).optional(),
    newPassword: passwordUpTo(maxPassword),
  });

/**
 * The account lifecycle: email confirmation, password reset, account recovery (a limited
 * session that can only register a key), change password / email, and the session list.
 * The "mail me a link" routes answer `{ok: true}` whatever the address (see
 * account/mail-requests.ts).
 */
export function lifecycleRoutes(routes: RouteTable, ctx: KeywardContext, pages?: Pages): void {
  const { prefix } = ctx.config;
  const views = pages ? new LifecyclePages(ctx, pages) : undefined;
  const caller = (c: Context<HttpEnv>) => callerOf(ctx, c);
  const resetCompleteBody = resetCompleteBodyFor(ctx.config.accounts.passwordMaxLength);
  const changePasswordBody = changePasswordBodyFor(ctx.config.accounts.passwordMaxLength);
  const ok = (c: Context<HttpEnv>, extra: Record<string, unknown> = {}) =>
    c.json({ ok: true, ...extra });
  // A form post that fails shows its page again with the error; JSON gets the error contract.
  const onFailure = async (c: Context<HttpEnv>, error: KeywardError) =>
    views && wantsHtml(c) ? views.failure(c, error) : undefined;

  // ---- Email confirmation ----

  routes.post(
    "/confirm-email",
    {
      body: confirmEmailBody,
      access: "public",
      onFailure,
      summary: "Confirm the email address with the mailed token",
      tag: "lifecycle",
      returns: OkUserJson,
      errors: TOKEN_ERRORS,
    },
    async (c, input) => {
      const user = await confirmEmail(ctx, input, caller(c));
      return reply(
        c,
        () => ok(c, { user }),
        () => `${prefix}/confirm-email?confirmed=1`,
      );
    },
  );

  routes.post(
    "/confirm-email/resend",
    {
      body: resendConfirmationBody,
      access: "public",
      onFailure,
      summary: "Mail a new confirmation link",
      tag: "lifecycle",
      returns: OkJson,
      errors: ["RATE_LIMITED"],
    },
    async (c, input) => {
      const address = input.email ?? (await optionalSession(ctx, c))?.user.email;
      if (address === undefined) {
        throw new KeywardError(ErrorCode.INVALID_INPUT, "email: required", { field: "email" });
      }
      await resendEmailConfirmation(ctx, { email: address }, caller(c));
      return reply(
        c,
        () => ok(c),
        () => `${prefix}/confirm-email?sent=1`,
      );
    },
  );

  // ---- Password reset ----

  routes.post(
    "/reset-password",
    {
      body: resetPasswordBody,
      access: "public",
      onFailure,
      summary: "Mail a password reset link (same answer for any address)",
      tag: "lifecycle",
      returns: OkJson,
      errors: ["RATE_LIMITED"],
    },
    async (c, input) => {
      await requestPasswordReset(ctx, input, caller(c));
      return reply(
        c,
        () => ok(c),
        () => `${prefix}/reset-password?sent=1`,
      );
    },
  );

  routes.post(
    "/reset-password/complete",
    {
      signsIn: true,
      body: resetCompleteBody,
      access: "public",
      onFailure,
      summary: "Set a new password with the mailed token",
      tag: "lifecycle",
      returns: SignInResultJson,
      errors: [
        ...TOKEN_ERRORS,
        "PASSWORD_TOO_SHORT",
        "ACCOUNT_INACTIVE",
        "ACCOUNT_LOCKED",
        "EMAIL_NOT_CONFIRMED",
      ],
    },
    async (c, input) => {
      const outcome = await completePasswordReset(ctx, input, caller(c));
      return signInResponse(ctx, c, outcome);
    },
  );

  // ---- Account recovery (passkey-only accounts) ----

  routes.post(
    "/recover-account",
    {
      body: recoverAccountBody,
      access: "public",
      onFailure,
      summary: "Mail an account recovery link (same answer for any address)",
      tag: "lifecycle",
      returns: OkJson,
      errors: ["RATE_LIMITED"],
    },
    async (c, input) => {
      await requestRecovery(ctx, input, caller(c));
      return reply(
        c,
        () => ok(c),
        () => `${prefix}/recover-account?sent=1`,
      );
    },
  );

  routes.post(
    "/recover-account/complete",
    {
      signsIn: true,
      body: recoverAccountCompleteBody,
      access: "public",
      onFailure,
      summary: "Open a limited session that can only add a key",
      tag: "lifecycle",
      returns: SignedInJson,
      errors: [
        ...TOKEN_ERRORS,
        "RECOVERY_CODE_REQUIRED",
        "RECOVERY_CODE_INVALID",
        "ACCOUNT_INACTIVE",
        "ACCOUNT_LOCKED",
        "RATE_LIMITED",
      ],
    },
    async (c, input) => {
      const result = await completeRecovery(ctx, input, caller(c));
      const delivered = deliverSession(ctx, c, result.token, result.session);
      return reply(
        c,
        () =>
          c.json({ user: result.user, session: sessionView(ctx, result.session), ...delivered }),
        () => `${prefix}/recover-account/key`,
      );
    },
  );

  // ---- Changes by the signed-in user ----

  routes.post(
    "/change-password",
    {
      body: changePasswordBody,
      access: "factor-change",
      presenceWhen: (input) => input.currentPassword !== undefined,
      onFailure,
      summary: "Change the password; other sessions end",
      tag: "lifecycle",
      returns: SessionsEndedJson,
      errors: ["INVALID_CREDENTIALS", "PASSWORD_NOT_SET", "PASSWORD_TOO_SHORT", "RATE_LIMITED"],
    },
    async (c, input, active) => {
      const result = await changePassword(ctx, active, input, caller(c));
      return reply(
        c,
        () => ok(c, result),
        () => `${prefix}/change-password?changed=1`,
      );
    },
  );

  routes.post(
    "/change-email",
    {
      body: changeEmailBody,
      access: "factor-change",
      onFailure,
      summary: "Mail a confirmation link to a new address",
      tag: "lifecycle",
      returns: OkJson,
      errors: ["EMAIL_TAKEN", "RATE_LIMITED"],
    },
    async (c, input, active) => {
      await requestEmailChange(ctx, active, input, caller(c));
      return reply(
        c,
        () => ok(c),
        () => `${prefix}/change-email?sent=1`,
      );
    },
  );

  routes.post(
    "/change-email/complete",
    {
      body: changeEmailCompleteBody,
      access: "session",
      onFailure,
      summary: "Switch to the confirmed new address",
      tag: "lifecycle",
      returns: OkUserJson,
      errors: [...TOKEN_ERRORS, "EMAIL_TAKEN"],
    },
    async (c, input, active) => {
      const user = await completeEmailChange(ctx, active, input, caller(c));
      return reply(
        c,
        () => ok(c, { user }),
        () => `${prefix}/change-email?changed=1`,
      );
    },
  );

  // ---- Sessions ----

  routes.get(
    "/sessions",
    {
      access: "session",
      summary: "The user's active sessions",
      tag: "lifecycle",
      returns: SessionListJson,
    },
    async (c, active) => {
      const { locale } = callerOf(ctx, c).client;
      return c.json({ sessions: await listSessions(ctx, active, locale) });
    },
  );

  routes.post(
    "/sessions/revoke",
    {
      body: revokeSessionBody,
      access: "session",
      onFailure,
      summary: "End one of the user's sessions",
      tag: "lifecycle",
      returns: SessionRevokedJson,
      errors: ["SESSION_NOT_FOUND"],
    },
    async (c, input, active) => {
      const { current } = await revokeSession(ctx, active, input.id, caller(c));
      if (current) clearSessionCookie(ctx, c);
      return reply(
        c,
        () => ok(c, { current }),
        () =>
          current
            ? withDone(`${prefix}/login`, "signed-out")
            : `${prefix}/account/sessions?revoked=1`,
      );
    },
  );

  routes.post(
    "/sign-out-everywhere",
    {
      body: z.object({}),
      access: "session",
      onFailure,
      summary: "End every session of the user",
      tag: "lifecycle",
      returns: SessionsEndedJson,
    },
    async (c, _, active) => {
      const sessionsRevoked = await signOutEverywhere(ctx, active, caller(c));
      clearSessionCookie(ctx, c);
      return reply(
        c,
        () => ok(c, { sessionsRevoked }),
        () => withDone(`${prefix}/login`, "signed-out"),
      );
    },
  );
}
