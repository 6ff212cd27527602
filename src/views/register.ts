import { type AttachmentDefaults, attachmentChoice, keyNameField } from "./account.js";
import { html, type SafeHtml } from "./html.js";
import { alerts, formState, type PageBase } from "./layout.js";

export interface RegisterProps extends PageBase {
  /** What the user typed, kept when the page is shown again after an error. */
  email: string;
  username: string;
  /** Whether an account may be created without a password (then added a passkey). */
  passwordOptional: boolean;
  passwordMinLength: number;
  passwordMaxLength: number;
}

/** Sign up: email, optional username, password. Works without JavaScript. */
export function registerPage(p: RegisterProps): SafeHtml | string {
  const { t } = p;
  const query = p.next ? `?next=${encodeURIComponent(p.next)}` : "";
  const hint = p.passwordOptional
    ? t("field.passwordOptionalHint", { min: p.passwordMinLength })
    : t("field.passwordHint", { min: p.passwordMinLength });
  const body = html`<div class="kw-card">
<h1>${t("register.title")}</h1>
${alerts(p)}
<form method="post" action="${p.prefix}/register" data-kw-form="register">
${formState(p)}
<div class="kw-field">
<label for="kw-email">${t("field.email")}</label>
<input id="kw-email" name="email" type="email" autocomplete="email" required maxlength="254" value="${p.email}" autofocus>
</div>
<div class="kw-field">
<label for="kw-username">${t("field.username")} <span class="kw-muted">(${t("field.optional")})</span></label>
<input id="kw-username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" maxlength="64" aria-describedby="kw-username-hint" value="${p.username}">
<p class="kw-hint" id="kw-username-hint">${t("field.usernameHint")}</p>
</div>
<div class="kw-field">
<label for="kw-password">${t("field.newPassword")}</label>
<input id="kw-password" name="password" type="password" autocomplete="new-password" minlength="${p.passwordMinLength}" maxlength="${p.passwordMaxLength}"${p.passwordOptional ? "" : " required"} aria-describedby="kw-password-hint">
<p class="kw-hint" id="kw-password-hint">${hint}</p>
</div>
<button type="submit" class="kw-btn kw-btn--primary kw-btn--block">${t("register.submit")}</button>
</form>
</div>
<p class="kw-alt">${t("register.haveAccount")} <a href="${p.prefix}/login${query}">${t("register.signIn")}</a></p>`;
  return p.layout({ page: p, title: t("register.title"), body });
}

export interface RegisterPasskeyProps extends PageBase {
  /** Where a new passkey lives unless the user chooses (WebauthnUtil.defaultAttachment). */
  attachmentDefaults: AttachmentDefaults;
}

/**
 * Right after a passwordless sign-up: the account signs in again only with a passkey, so this
 * page adds it (the browser script runs the ceremony) and says why; a password is the way out.
 */
export function registerPasskeyPage(p: RegisterPasskeyProps): SafeHtml | string {
  const { t } = p;
  const next = p.next ?? `${p.prefix}/account?done=passkey-added`;
  const body = html`<div class="kw-card">
<h1 id="kw-passkey-h">${t("register.passkeyTitle")}</h1>
<p>${t("register.passkeyIntro")}</p>
${alerts(p)}
<p class="kw-alert kw-alert--warn" data-kw-unless="webauthn">${t("register.passkeyNeedsJs")}</p>
<form data-kw-form="add-key" data-kw-needs="webauthn" data-kw-next="${next}" aria-labelledby="kw-passkey-h" hidden>
${keyNameField(t("account.keyName"), t("account.keyNameHint"))}
<input type="hidden" name="usage" value="first">
${attachmentChoice(t, p.attachmentDefaults, "first")}
<button type="submit" class="kw-btn kw-btn--primary kw-btn--block">${t("register.passkeySubmit")}</button>
</form>
</div>
<p class="kw-alt">${t("register.passkeyInstead")} <a href="${p.prefix}/change-password">${t("register.passkeySetPassword")}</a></p>`;
  return p.layout({ page: p, title: t("register.passkeyTitle"), body });
}
