import type { Context, Hono } from "hono";
import { recoveryLinkNeedsCode } from "../../account/recover.js";
import { peekAccountToken } from "../../account/tokens.js";
import type { KeywardContext } from "../../context.js";
import type { ActiveSession } from "../../core/caller.js";
import { ErrorCode, KeywardError } from "../../core/errors.js";
import { isKeyUsageEnabled } from "../../factors/methods.js";
import { listSessions } from "../../session/manage.js";
import type { PageName, PageProps } from "../../views/index.js";
import { callerOf } from "../caller.js";
import type { HttpEnv } from "../env.js";
import { seeOther } from "../negotiate.js";
import { optionalSession } from "../session-cookie.js";
import type { Pages } from "./pages-render.js";

type C = Context<HttpEnv>;
type Extra = { error?: string | undefined; notice?: string | undefined; status?: number };

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * The account lifecycle pages: gathers each page's props and sends it through `Pages` (so the
 * app's renderers, layout, messages and Content-Security-Policy apply as on every page); also
 * shows a page again with its error when one of its form posts fails.
 */
export class LifecyclePages {
  constructor(
    private readonly ctx: KeywardContext,
    private readonly pages: Pages,
  ) {}

  private get prefix(): string {
    return this.ctx.config.prefix;
  }

  /** Sends a page; a token in its URL must not leak to other sites through the Referer. */
  private send<K extends PageName>(c: C, name: K, props: PageProps[K], status = 200): Response {
    return this.pages.send(c, name, props, status, "no-referrer");
  }

  private token(c: C): string | null {
    const value = c.req.query("token");
    return value && TOKEN_PATTERN.test(value) ? value : null;
  }

  private async full(c: C): Promise<ActiveSession | undefined> {
    return optionalSession(this.ctx, c);
  }

  private toLogin(c: C, back: string): Response {
    return seeOther(c, this.pages.loginUrl(back));
  }

  // ---- One method per page ----

  async resetRequest(c: C, extra: Extra & { email?: string } = {}): Promise<Response> {
    const notice = c.req.query("sent") ? this.pages.t(c, "reset.sent") : undefined;
    const base = await this.pages.base(c, "resetRequest", { notice, ...extra });
    return this.send(c, "resetRequest", { ...base, email: extra.email ?? "" }, extra.status);
  }

  async resetPassword(c: C, token: string, extra: Extra = {}): Promise<Response> {
    const base = await this.pages.base(c, "resetPassword", extra);
    const { accounts } = this.ctx.config;
    return this.send(
      c,
      "resetPassword",
      {
        ...base,
        token,
        passwordMinLength: accounts.passwordMinLength,
        passwordMaxLength: accounts.passwordMaxLength,
      },
      extra.status,
    );
  }

  async recoverRequest(c: C, extra: Extra & { email?: string } = {}): Promise<Response> {
    const notice = c.req.query("sent") ? this.pages.t(c, "recover.sent") : undefined;
    const base = await this.pages.base(c, "recoverRequest", { notice, ...extra });
    return this.send(c, "recoverRequest", { ...base, email: extra.email ?? "" }, extra.status);
  }

  async recoverLanding(c: C, token: string, extra: Extra = {}): Promise<Response> {
    let needsCode = false;
    try {
      needsCode = await recoveryLinkNeedsCode(this.ctx, token);
    } catch (error) {
      if (!(error instanceof KeywardError)) throw error;
      return this.recoverRequest(c, {
        error: this.pages.errorText(c, error),
        status: error.status,
      });
    }
    const base = await this.pages.base(c, "recoverLanding", extra);
    return this.send(c, "recoverLanding", { ...base, token, needsCode }, extra.status);
  }

  async recoverKey(c: C): Promise<Response> {
    const active = await optionalSession(this.ctx, c, { limited: "allow" });
    if (!active) return this.toLogin(c, `${this.prefix}/account`);
    const base = await this.pages.base(c, "recoverKey");
    return this.send(c, "recoverKey", {
      ...base,
      allowPasskeys: isKeyUsageEnabled(this.ctx, "first"),
      allowSecondaryKeys: isKeyUsageEnabled(this.ctx, "secondary"),
      attachmentDefaults: this.pages.attachmentDefaults(),
    });
  }

  async confirmEmail(c: C, extra: Extra & { email?: string; token?: string | null } = {}) {
    const active = await this.full(c);
    const confirmed = c.req.query("confirmed") !== undefined && !extra.error;
    const notice = confirmed
      ? this.pages.t(c, "confirm.done")
      : c.req.query("sent")
        ? this.pages.t(c, "confirm.sent")
        : undefined;
    const base = await this.pages.base(c, "confirmEmail", { notice, ...extra });
    const token = extra.token === undefined ? this.token(c) : extra.token;
    return this.send(
      c,
      "confirmEmail",
      {
        ...base,
        token,
        confirmed,
        signedIn: active !== undefined,
        email: extra.email ?? "",
      },
      extra.status,
    );
  }

  async changePassword(c: C, extra: Extra = {}): Promise<Response> {
    const active = await this.full(c);
    if (!active) return this.toLogin(c, `${this.prefix}/change-password`);
    const notice = c.req.query("changed") ? this.pages.t(c, "password.changed") : undefined;
    const base = await this.pages.base(c, "changePassword", { notice, ...extra });
    const { accounts } = this.ctx.config;
    return this.send(
      c,
      "changePassword",
      {
        ...base,
        hasPassword: active.user.passwordHash !== null,
        fresh: this.ctx.sessions.isFresh(active.session),
        passwordMinLength: accounts.passwordMinLength,
        passwordMaxLength: accounts.passwordMaxLength,
      },
      extra.status,
    );
  }

  async changeEmail(
    c: C,
    extra: Extra & { newEmail?: string; token?: string | null } = {},
  ): Promise<Response> {
    const token = extra.token === undefined ? this.token(c) : extra.token;
    const active = await this.full(c);
    if (!active) {
      const back = `${this.prefix}/change-email${token ? `?token=${encodeURIComponent(token)}` : ""}`;
      return this.toLogin(c, back);
    }
    const notice = c.req.query("changed")
      ? this.pages.t(c, "email.changed")
      : c.req.query("sent")
        ? this.pages.t(c, "email.sent")
        : undefined;
    const base = await this.pages.base(c, "changeEmail", { notice, ...extra });
    return this.send(
      c,
      "changeEmail",
      {
        ...base,
        email: active.user.email,
        token,
        fresh: this.ctx.sessions.isFresh(active.session),
        newEmail: extra.newEmail ?? "",
      },
      extra.status,
    );
  }

  async sessions(c: C, extra: Extra = {}): Promise<Response> {
    const active = await this.full(c);
    if (!active) return this.toLogin(c, `${this.prefix}/account/sessions`);
    const notice = c.req.query("revoked") ? this.pages.t(c, "sessions.revoked") : undefined;
    const base = await this.pages.base(c, "sessions", { notice, ...extra });
    return this.send(
      c,
      "sessions",
      {
        ...base,
        sessions: await listSessions(this.ctx, active, callerOf(this.ctx, c).client.locale),
        fresh: this.ctx.sessions.isFresh(active.session),
      },
      extra.status,
    );
  }

  /** A form post of a lifecycle route failed: its page again, with the error. */
  async failure(c: C, error: KeywardError): Promise<Response | undefined> {
    const path = c.req.path.slice(this.prefix.length);
    const input = (c.get("input") ?? {}) as Record<string, unknown>;
    const text = (name: string) => (typeof input[name] === "string" ? input[name] : undefined);
    const extra: Extra = { error: this.pages.errorText(c, error), status: error.status };
    const tokenError =
      error.code === ErrorCode.TOKEN_INVALID || error.code === ErrorCode.TOKEN_EXPIRED;
    const token = text("token");
    const signIn = (back: string) =>
      error.code === ErrorCode.UNAUTHENTICATED
        ? this.toLogin(c, `${this.prefix}${back}`)
        : undefined;
    switch (path) {
      case "/reset-password":
        return this.resetRequest(c, { ...extra, email: text("email") ?? "" });
      case "/reset-password/complete":
        return tokenError || !token
          ? this.resetRequest(c, extra)
          : this.resetPassword(c, token, extra);
      case "/recover-account":
        return this.recoverRequest(c, { ...extra, email: text("email") ?? "" });
      case "/recover-account/complete":
        return tokenError || !token
          ? this.recoverRequest(c, extra)
          : this.recoverLanding(c, token, extra);
      case "/confirm-email":
      case "/confirm-email/resend":
        return this.confirmEmail(c, { ...extra, token: null, email: text("email") ?? "" });
      case "/change-password":
        return signIn("/change-password") ?? this.changePassword(c, extra);
      case "/change-email":
        return (
          signIn("/change-email") ??
          this.changeEmail(c, { ...extra, newEmail: text("newEmail") ?? "" })
        );
      case "/change-email/complete": {
        const back = `/change-email${token ? `?token=${encodeURIComponent(token)}` : ""}`;
        return (
          signIn(back) ??
          this.changeEmail(c, { ...extra, token: tokenError ? null : (token ?? null) })
        );
      }
      case "/sessions/revoke":
      case "/sign-out-everywhere":
        return signIn("/account/sessions") ?? this.sessions(c, extra);
      default:
        return undefined;
    }
  }
}

/** GET routes of the lifecycle pages (the forms post to routes/lifecycle.ts). */
export function lifecyclePageRoutes(app: Hono<HttpEnv>, ctx: KeywardContext, pages: Pages): void {
  const views = new LifecyclePages(ctx, pages);
  const tokenOf = (c: C) => {
    const value = c.req.query("token");
    return value && TOKEN_PATTERN.test(value) ? value : null;
  };

  app.get("/reset-password", async (c) => {
    const token = tokenOf(c);
    if (!token) return views.resetRequest(c);
    try {
      await peekAccountToken(ctx, token, "reset-password");
    } catch (error) {
      if (!(error instanceof KeywardError)) throw error;
      return views.resetRequest(c, { error: pages.errorText(c, error), status: error.status });
    }
    return views.resetPassword(c, token);
  });

  app.get("/recover-account", async (c) => {
    const token = tokenOf(c);
    return token ? views.recoverLanding(c, token) : views.recoverRequest(c);
  });
  app.get("/recover-account/key", (c) => views.recoverKey(c));
  app.get("/confirm-email", (c) => views.confirmEmail(c));
  app.get("/change-password", (c) => views.changePassword(c));
  app.get("/change-email", (c) => views.changeEmail(c));
  app.get("/account/sessions", (c) => views.sessions(c));
}
