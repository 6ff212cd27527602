import type { Context, Hono } from "hono";
import { pendingCodeSignIn } from "../../account/code-signin.js";
import {
  canSignIn,
  onlySignInIsUnbackedKey,
  signInMethods,
  signInMethodsOf,
} from "../../account/sign-in-methods.js";
import type { KeywardContext } from "../../context.js";
import type { ActiveSession } from "../../core/caller.js";
import { ErrorCode, type KeywardError } from "../../core/errors.js";
import { toPublicUser } from "../../core/types.js";
import { isConfigured, isKeyUsageEnabled } from "../../factors/methods.js";
import {
  type FactorRegistry,
  isBuiltInSetupMethod,
  type SetupMethod,
} from "../../factors/registry.js";
import {
  enrolmentKeyOffered,
  enrolmentOffer,
  resumeSentCodeSetup,
  resumeTotpSetup,
  twoFactorStatus,
} from "../../factors/setup.js";
import { pendingMethods, type SecondFactorMethod } from "../../factors/two-factor.js";
import type { Language } from "../../i18n/translator.js";
import { formToken } from "../../session/csrf.js";
import {
  type AttachmentDefaults,
  layout as defaultLayout,
  defaultPages,
  type Layout,
  type PageBase,
  type PageName,
  type PageProps,
  type PageRenderers,
  type PagesOptions,
} from "../../views/index.js";
import {
  clientMessages,
  type DoneKey,
  doneMessages,
  type MessageKey,
} from "../../views/messages.js";
import type { AppFactorChoice } from "../../views/second-factor.js";
import { listKeysWithRemoval } from "../../webauthn/manage.js";
import { passkeyUpgradeOffered } from "../../webauthn/upgrade.js";
import { hasVerifyingKey } from "../../webauthn/verify.js";
import { callerOf } from "../caller.js";
import type { HttpEnv } from "../env.js";
import { apiMessage } from "../errors.js";
import { nextOf, seeOther, siteOf, wantsHtml } from "../negotiate.js";
import { optionalSession } from "../session-cookie.js";
import { pendingState } from "../signin-response.js";
import { assetUrls } from "../static.js";
import { LifecyclePages } from "./pages-lifecycle.js";

const DEFAULT_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

type C = Context<HttpEnv>;
type Extra = { error?: string | undefined; notice?: string | undefined; status?: number };

/**
 * Renders the HTML pages: gathers each page's props (from the session, the store and the
 * request), applies the app's overrides (renderers, layout, messages) and sends the document
 * with the headers every page needs. Used by the GET routes and to show a form again with its
 * error when a form post fails.
 */
export class Pages {
  private readonly renderers: PageRenderers;
  private readonly layout: Layout;
  private readonly csp: string | false;
  private routes: Set<string> | undefined;
  private lifecycle: LifecyclePages | undefined;

  constructor(
    private readonly ctx: KeywardContext,
    private readonly app: Hono<HttpEnv>,
    options: PagesOptions,
  ) {
    this.renderers = { ...defaultPages, ...options.render } as PageRenderers;
    this.layout = options.layout ?? defaultLayout;
    this.csp = options.contentSecurityPolicy ?? DEFAULT_CSP;
  }

  private get prefix(): string {
    return this.ctx.config.prefix;
  }

  /** Whether a route is served (e.g. two-factor routes, when that feature is present). */
  hasRoute(method: string, path: string): boolean {
    this.routes ??= new Set(this.app.routes.map((r) => `${r.method} ${r.path}`));
    return this.routes.has(`${method} ${this.prefix}${path}`);
  }

  /** The language of the request's pages (its Caller's locale, with the app's overrides). */
  language(c: C): Language {
    return this.ctx.languages.get(callerOf(this.ctx, c).client.locale);
  }

  /** Translates a key in the request's language. */
  t(c: C, key: MessageKey, params?: Parameters<Language["t"]>[1]): string {
    return this.language(c).t(key, params);
  }

  /**
   * A KeywardError as a person should read it: the page text for its code, if any; else, in
   * English, what the thrower said, and in another language the code's translated message.
   */
  errorText(c: C, error: KeywardError): string {
    const language = this.language(c);
    const key = `error.${error.code}` as MessageKey;
    if (!(key in language.messages)) return apiMessage(language, error);
    const detail = error.code === ErrorCode.INVALID_INPUT ? error.message : "";
    return language.t(key, {
      detail,
      min: this.ctx.config.accounts.passwordMinLength,
      max: this.ctx.config.webauthn.nameMaxLength,
    });
  }

  /** What every page needs: CSRF token (its cookie set when missing), user, messages, assets. */
  async base(c: C, page: PageName, extra: Extra = {}): Promise<PageBase> {
    const csrfToken = this.csrfToken(c);
    const active = await optionalSession(this.ctx, c).catch(() => undefined);
    const next = nextOf(c);
    const home = siteOf(this.ctx).home;
    const done = c.req.query("done") as DoneKey | undefined;
    const language = this.language(c);
    const notice =
      extra.notice ??
      (done && Object.hasOwn(doneMessages, done) ? language.t(doneMessages[done]) : undefined);
    return {
      t: language.t,
      prefix: this.prefix,
      siteName: this.ctx.config.rp.name,
      home,
      csrfToken,
      next,
      user: active ? toPublicUser(active.user) : null,
      error: extra.error,
      notice: extra.error ? undefined : notice,
      assets: assetUrls(this.prefix),
      client: {
        prefix: this.prefix,
        page,
        next: next ?? null,
        home,
        csrfToken,
        messages: clientMessages(language.messages),
        passkeyUpgrade: active ? await passkeyUpgradeOffered(this.ctx, active) : false,
      },
      layout: this.layout,
    };
  }

  /**
   * Renders a page (the app's renderer when it replaced it) and sends it with the headers every
   * page gets (the app's Content-Security-Policy among them). `referrerPolicy` is `no-referrer`
   * for pages whose URL may carry an emailed token.
   */
  send<K extends PageName>(
    c: C,
    name: K,
    props: PageProps[K],
    status = 200,
    referrerPolicy: "same-origin" | "no-referrer" = "same-origin",
  ): Response {
    const renderer = this.renderers[name] as (props: PageProps[K]) => unknown;
    const document = String(renderer(props));
    c.header("Content-Type", "text/html; charset=utf-8");
    c.header("X-Frame-Options", "DENY");
    c.header("Referrer-Policy", referrerPolicy);
    // The page's language follows the header: a shared cache must not serve it to another.
    c.header("Vary", "Accept-Language", { append: true });
    if (this.csp) c.header("Content-Security-Policy", this.csp);
    return c.body(document, status as 200);
  }

  private csrfToken(c: C): string {
    const { cookies, config } = this.ctx;
    const { token, setCookie } = formToken(cookies, config.secret, c.req.header("cookie"));
    if (setCookie) c.header("Set-Cookie", setCookie, { append: true });
    return token;
  }

  /** The login page, with where to go after it. */
  loginUrl(next?: string): string {
    return `${this.prefix}/login${next ? `?next=${encodeURIComponent(next)}` : ""}`;
  }

  // ---- One method per page: gather its props, render, send. ----

  async login(c: C, extra: Extra & { identity?: string } = {}): Promise<Response> {
    const base = await this.base(c, "login", extra);
    return this.send(
      c,
      "login",
      {
        ...base,
        identity: extra.identity ?? "",
        passkeys: this.ctx.config.webauthn.allowAsFirstFactor,
        signUp: true,
        codeChannels: this.hasRoute("POST", "/code-signin") ? this.ctx.config.signIn.codes : [],
      },
      extra.status,
    );
  }

  async register(c: C, extra: Extra & { email?: string; username?: string } = {}) {
    const base = await this.base(c, "register", extra);
    const { accounts } = this.ctx.config;
    return this.send(
      c,
      "register",
      {
        ...base,
        email: extra.email ?? "",
        username: extra.username ?? "",
        passwordOptional: accounts.allowPasswordless,
        passwordMinLength: accounts.passwordMinLength,
        passwordMaxLength: accounts.passwordMaxLength,
      },
      extra.status,
    );
  }

  async verify(c: C, active: ActiveSession, extra: Extra = {}): Promise<Response> {
    const base = await this.base(c, "verify", extra);
    const { session } = active;
    // Sent here for AAL2 (pageRedirectFor) that was proved at sign-in and lapsed since: only
    // what proves AAL2 again helps, not the password (which makes the session fresh, no more).
    const reauthenticate =
      c.req.query("reauthenticate") !== undefined && session.aal < 2 && session.aal2At !== null;
    const keys = await hasVerifyingKey(this.ctx, active, reauthenticate);
    return this.send(
      c,
      "verify",
      {
        ...base,
        keys,
        password: active.user.passwordHash !== null,
        reauthenticate,
        signInAgain: this.loginUrl(base.next),
      },
      extra.status,
    );
  }

  async account(c: C, active: ActiveSession, extra: Extra = {}): Promise<Response> {
    const base = await this.base(c, "account", extra);
    const { t } = base;
    // The model when its AAGUID names one; otherwise what the transports say it is.
    const kind = (transports: string[]) => {
      if (transports.includes("internal")) return t("account.authPlatform");
      if (transports.includes("hybrid")) return t("account.authHybrid");
      const roaming = ["usb", "nfc", "ble", "smart-card"];
      if (transports.some((x) => roaming.includes(x))) return t("account.authRoaming");
      return t("account.unknownAuthenticator");
    };
    const keys = (await listKeysWithRemoval(this.ctx, active)).map((key) => ({
      ...key,
      authenticator: key.authenticatorName ?? kind(key.transports),
    }));
    const signIn = signInMethods(this.ctx, active.user, keys);
    return this.send(
      c,
      "account",
      {
        ...base,
        keys,
        fresh: this.ctx.sessions.isFresh(active.session),
        allowPasskeys: isKeyUsageEnabled(this.ctx, "first"),
        allowSecondaryKeys: isKeyUsageEnabled(this.ctx, "secondary"),
        twoFactor: await twoFactorStatus(this.ctx, active, callerOf(this.ctx, c).client.locale),
        offers: {
          totp: isConfigured(this.ctx, "totp") && this.hasRoute("POST", "/tf-setup"),
          recoveryCodes: this.hasRoute("POST", "/mf-recovery-codes"),
        },
        signIn,
        onlyUnbackedKey: onlySignInIsUnbackedKey(signIn, keys),
        attachmentDefaults: this.attachmentDefaults(),
        sessionAmr: active.session.amr,
        sessionAppFactor: this.ctx.factors.apps.find(
          (factor) => factor.ref === active.session.earnedBy.second,
        )?.app.label,
      },
      extra.status,
    );
  }

  /**
   * What WebauthnUtil asks for when the user does not choose, per usage: every page that adds
   * a key (account, sign-up passkey, recovery) pre-selects it, so the policy lives in one place.
   */
  attachmentDefaults(): AttachmentDefaults {
    const util = this.ctx.webauthnUtil;
    return {
      first: util.defaultAttachment("first") ?? null,
      secondary: util.defaultAttachment("secondary") ?? null,
    };
  }

  /**
   * After a passwordless sign-up: add the passkey the account will sign in with. An account
   * that can already sign in goes to its account page.
   */
  async registerPasskey(c: C, active: ActiveSession): Promise<Response> {
    if (canSignIn(await signInMethodsOf(this.ctx, active.user))) {
      return seeOther(c, `${this.prefix}/account`);
    }
    const base = await this.base(c, "registerPasskey");
    return this.send(c, "registerPasskey", {
      ...base,
      attachmentDefaults: this.attachmentDefaults(),
    });
  }

  /** The pending sign-in behind the second-factor pages, or undefined when it is gone. */
  async pending(c: C): Promise<{ state: string; methods: SecondFactorMethod[] } | undefined> {
    const input = c.get("input") as Record<string, unknown> | undefined;
    const state =
      (typeof input?.state === "string" ? input.state : undefined) ?? pendingState(this.ctx, c);
    if (!state) return undefined;
    const methods = await pendingMethods(this.ctx, state);
    return methods ? { state, methods } : undefined;
  }

  async secondFactor(c: C, extra: Extra = {}): Promise<Response> {
    const pending = await this.pending(c);
    if (!pending) return seeOther(c, `${this.prefix}/login?done=pending-expired`);
    const base = await this.base(c, "secondFactor", extra);
    const { twoFactor } = this.ctx.config;
    const remembered =
      twoFactor.rememberDevice &&
      this.ctx.cookies.read(c.req.header("cookie"), "remember") !== undefined &&
      this.hasRoute("POST", "/tf-remembered");
    return this.send(
      c,
      "secondFactor",
      {
        ...base,
        ...pending,
        enrolMethods:
          pending.methods.length === 0 && this.hasRoute("POST", "/tf-setup")
            ? // The pages set up the built-in methods; an app pairs its own factor itself.
              (await enrolmentOffer(this.ctx, pending.state)).filter(isBuiltInSetupMethod)
            : [],
        enrolKey:
          pending.methods.length === 0 &&
          this.hasRoute("POST", "/wan-register") &&
          (await enrolmentKeyOffered(this.ctx, pending.state)),
        remembered,
        rememberDays: this.rememberDays(),
        appFactors: this.ctx.factors.apps.map(appFactorChoice),
      },
      extra.status,
    );
  }

  async secondFactorCode(c: C, method: string, extra: Extra = {}): Promise<Response> {
    const pending = await this.pending(c);
    if (!pending) return seeOther(c, `${this.prefix}/login?done=pending-expired`);
    // A method this sign-in cannot complete gets the choice of those it can, not a code form.
    if (!pending.methods.includes(method)) {
      if (extra.error !== undefined) return this.secondFactor(c, extra);
      const next = nextOf(c);
      return seeOther(
        c,
        `${this.prefix}/tf-select${next ? `?next=${encodeURIComponent(next)}` : ""}`,
      );
    }
    const base = await this.base(c, "secondFactorCode", extra);
    const action = method === "recovery" ? "/mf-recovery" : "/tf-validate";
    const app = this.ctx.factors.apps.find((factor) => factor.method === method);
    return this.send(
      c,
      "secondFactorCode",
      {
        ...base,
        state: pending.state,
        method,
        appFactor: app ? appFactorChoice(app) : undefined,
        action: `${this.prefix}${action}`,
        rememberDays: this.rememberDays(),
      },
      extra.status,
    );
  }

  /** For how many days "remember this browser" skips the second factor; undefined: off. */
  private rememberDays(): number | undefined {
    const { rememberDevice, rememberDeviceFor } = this.ctx.config.twoFactor;
    return rememberDevice ? Math.round(rememberDeviceFor / 86_400_000) : undefined;
  }

  /** `GET /code-signin`: the code entry of the code sign-in this browser started. */
  async codeSignIn(c: C, extra: Extra = {}): Promise<Response> {
    const state = pendingState(this.ctx, c);
    const started = state ? await pendingCodeSignIn(this.ctx, state) : undefined;
    if (!state || !started) return seeOther(c, `${this.prefix}/login?done=pending-expired`);
    const base = await this.base(c, "codeSignIn", extra);
    return this.send(c, "codeSignIn", { ...base, state, channel: started.channel }, extra.status);
  }

  async totpSetup(
    c: C,
    setup: { uri: string; secret: string; qrSvg?: string; state?: string },
    extra: Extra = {},
  ): Promise<Response> {
    const base = await this.base(c, "totpSetup", extra);
    return this.send(
      c,
      "totpSetup",
      { ...base, uri: setup.uri, secret: setup.secret, qrSvg: setup.qrSvg, state: setup.state },
      extra.status,
    );
  }

  /**
   * The authenticator-app setup behind `state` again (after a wrong code): same secret, same
   * QR code, so the app already scanned keeps working. Undefined when the setup is gone.
   */
  async totpSetupAgain(c: C, state: unknown, extra: Extra): Promise<Response | undefined> {
    if (typeof state !== "string") return undefined;
    const setup = await resumeTotpSetup(this.ctx, state);
    return setup ? this.totpSetup(c, { ...setup, state }, extra) : undefined;
  }

  /** Setting up SMS or email: enter the code sent (`destination`: where it went, masked). */
  async setupCode(
    c: C,
    setup: { method: SetupMethod; state: string; destination?: string | undefined },
    extra: Extra = {},
  ): Promise<Response> {
    if (setup.method === "totp") throw new Error("an authenticator app is set up on its own page");
    const base = await this.base(c, "setupCode", extra);
    return this.send(
      c,
      "setupCode",
      { ...base, method: setup.method, state: setup.state, destination: setup.destination },
      extra.status,
    );
  }

  /** The SMS or email setup behind `state` again (after a wrong code); undefined when gone. */
  async setupCodeAgain(c: C, state: unknown, extra: Extra): Promise<Response | undefined> {
    if (typeof state !== "string") return undefined;
    const setup = await resumeSentCodeSetup(this.ctx, state);
    return setup ? this.setupCode(c, { ...setup, state }, extra) : undefined;
  }

  async recoveryCodes(c: C, codes: string[]): Promise<Response> {
    const base = await this.base(c, "recoveryCodes");
    return this.send(c, "recoveryCodes", { ...base, codes });
  }

  /**
   * A form post failed: show its page again with the error (and what was typed, except
   * secrets), or send the user where they can act on it (sign in first). Undefined for JSON
   * clients and for routes without a page here.
   */
  async failure(c: C, error: KeywardError): Promise<Response | undefined> {
    if (!wantsHtml(c)) return undefined;
    const path = c.req.path.slice(this.prefix.length);
    const input = (c.get("input") ?? {}) as Record<string, unknown>;
    const text = (name: string) => (typeof input[name] === "string" ? input[name] : undefined);
    const extra: Extra = { error: this.errorText(c, error), status: error.status };
    const account = `${this.prefix}/account`;
    const active = await optionalSession(this.ctx, c).catch(() => undefined);
    switch (path) {
      case "/login":
      case "/code-signin":
        return this.login(c, { ...extra, identity: text("identity") ?? "" });
      case "/code-signin-validate":
        return this.codeSignIn(c, extra);
      case "/register":
        return this.register(c, {
          ...extra,
          email: text("email") ?? "",
          username: text("username") ?? "",
        });
      case "/logout":
        return seeOther(c, this.loginUrl());
      case "/verify":
        return active ? this.verify(c, active, extra) : seeOther(c, this.loginUrl(nextOf(c)));
      case "/tf-setup-validate": {
        const again =
          (await this.totpSetupAgain(c, input.state, extra)) ??
          (await this.setupCodeAgain(c, input.state, extra));
        if (again) return again;
        return active ? this.account(c, active, extra) : seeOther(c, this.loginUrl(account));
      }
      case "/tf-setup":
        // A sign-in held back for enrolment sets up from the second-factor page.
        if (!active && text("state")) return this.secondFactor(c, extra);
        return active ? this.account(c, active, extra) : seeOther(c, this.loginUrl(account));
      case "/wan-rename":
      case "/wan-delete":
      case "/mf-recovery-codes":
        return active ? this.account(c, active, extra) : seeOther(c, this.loginUrl(account));
      case "/tf-select":
      case "/tf-continue":
      case "/tf-remembered":
        return this.secondFactor(c, extra);
      case "/tf-validate":
      case "/mf-recovery": {
        const method =
          path === "/mf-recovery" ? "recovery" : codeMethod(this.ctx.factors, text("method"));
        return this.secondFactorCode(c, method, extra);
      }
      default:
        // The lifecycle pages' forms (a refused CSRF token, say, fails before their routes run).
        this.lifecycle ??= new LifecyclePages(this.ctx, this);
        return this.lifecycle.failure(c, error);
    }
  }
}

/**
 * The method a code page is for: one typed (or, for an app's approval, awaited) on that page;
 * the first of them by default.
 */
export function codeMethod(factors: FactorRegistry, value: unknown): string {
  const onCodePage = factors.names((factor) => factor.prompt !== "key");
  return onCodePage.find((method) => method === value) ?? onCodePage[0]!;
}

/** One of the app's factors as the pages offer it. */
function appFactorChoice(factor: FactorRegistry["apps"][number]): AppFactorChoice {
  return { method: factor.method, label: factor.app.label, prompt: factor.app.prompt };
}
