import { html, type SafeHtml } from "./html.js";
import { alerts, formState, type PageBase } from "./layout.js";
import { rememberMe } from "./login.js";

export interface CodeSignInProps extends PageBase {
  /** The state /code-signin started (from its cookie); the form carries it. */
  state: string;
  /** Where the code was sent. */
  channel: "email" | "sms";
}

/**
 * `GET /code-signin`: enter the code sent by email or SMS. Its words hold for an identity with
 * no account as well ("if an account goes with it"), as the answer that led here did.
 */
export function codeSignInPage(p: CodeSignInProps): SafeHtml | string {
  const { t } = p;
  const body = html`<div class="kw-card">
<h1>${t("code.title")}</h1>
<p>${t(p.channel === "email" ? "code.introEmail" : "code.introSms")}</p>
${alerts(p)}
<form method="post" action="${p.prefix}/code-signin-validate" data-kw-form="code-signin">
${formState(p)}
<input type="hidden" name="state" value="${p.state}">
<div class="kw-field">
<label for="kw-code">${t("field.code")}</label>
<input id="kw-code" name="code" type="text" class="kw-code" required maxlength="32" autocomplete="one-time-code" inputmode="numeric" autocapitalize="none" spellcheck="false" autofocus${p.error ? html` aria-invalid="true"` : ""}>
</div>
${rememberMe(p)}
<button type="submit" class="kw-btn kw-btn--primary kw-btn--block">${t("code.submit")}</button>
</form>
</div>
<p class="kw-alt"><a href="${p.prefix}/login${p.next ? `?next=${encodeURIComponent(p.next)}` : ""}">${t("code.again")}</a></p>`;
  return p.layout({ page: p, title: t("code.title"), body });
}
