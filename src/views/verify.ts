import { html, type SafeHtml } from "./html.js";
import { alerts, formState, type PageBase } from "./layout.js";

export interface VerifyProps extends PageBase {
  /** The user has a key allowed to verify (offer it when the browser can). */
  keys: boolean;
  /** The user has a password (offer the password form). */
  password: boolean;
  /**
   * The session's AAL2 lapsed with time (SP 800-63B-4 bounds): only a passkey with user
   * verification, or signing in again, restores it, so the page offers those (`keys` then
   * says whether the user has a passkey) and not the password.
   */
  reauthenticate: boolean;
  /** Where "sign in again" goes (the login page, coming back to `next`). */
  signInAgain: string;
}

/** Step-up: confirm it's you with a key (browser script) or the password (plain form). */
export function verifyPage(p: VerifyProps): SafeHtml | string {
  if (p.reauthenticate) return reauthenticatePage(p);
  const { t } = p;
  const body = html`<div class="kw-card">
<h1>${t("verify.title")}</h1>
<p>${t("verify.intro")}</p>
${alerts(p)}
${p.keys && !p.password && html`<p class="kw-muted" data-kw-unless="webauthn">${t("site.needsWebauthn")}</p>`}
${
  p.keys &&
  html`<div data-kw-needs="webauthn" hidden>
<button type="button" class="kw-btn kw-btn--primary kw-btn--block" data-kw-action="verify">${t("verify.key")}</button>
${p.password && html`<p class="kw-or">${t("login.or")}</p>`}
</div>`
}
${
  p.password &&
  html`<form method="post" action="${p.prefix}/verify" data-kw-form="verify">
${formState(p)}
<div class="kw-field">
<label for="kw-password">${p.keys ? t("verify.password") : t("verify.passwordOnly")}</label>
<input id="kw-password" name="password" type="password" autocomplete="current-password" required maxlength="1024"${p.keys ? "" : " autofocus"}${p.error ? ' aria-invalid="true"' : ""}>
</div>
<button type="submit" class="kw-btn kw-btn--block">${t("verify.submit")}</button>
</form>`
}
</div>
<p class="kw-alt"><a href="${p.next ?? p.home}">${t("verify.cancel")}</a></p>`;
  return p.layout({ page: p, title: t("verify.title"), body });
}

/** AAL2 lapsed: a passkey (the browser script's reauthentication) or a new sign-in. */
function reauthenticatePage(p: VerifyProps): SafeHtml | string {
  const { t } = p;
  const body = html`<div class="kw-card">
<h1>${t("verify.title")}</h1>
<p>${t("verify.reauthIntro")}</p>
${alerts(p)}
${
  p.keys &&
  html`<div data-kw-needs="webauthn" hidden>
<button type="button" class="kw-btn kw-btn--primary kw-btn--block" data-kw-action="reauthenticate">${t("verify.reauthKey")}</button>
<p class="kw-or">${t("login.or")}</p>
</div>`
}
<p><a class="kw-btn kw-btn--block" href="${p.signInAgain}">${t("verify.signInAgain")}</a></p>
</div>
<p class="kw-alt"><a href="${p.home}">${t("verify.cancel")}</a></p>`;
  return p.layout({ page: p, title: t("verify.title"), body });
}
