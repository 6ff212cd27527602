import { html, type SafeHtml } from "./html.js";
import { alerts, formState, type PageBase } from "./layout.js";

/**
 * "Remember me": unticked, the sign-in is a browser session. The hidden "false" comes first,
 * so an unticked box still says no (the last value of a field wins); the passkey button and
 * autofill read the box too.
 */
export function rememberMe(p: Pick<PageBase, "t">): SafeHtml {
  return html`<input type="hidden" name="remember" value="false">
<label class="kw-radio"><input id="kw-remember" type="checkbox" name="remember" value="on"> <span>${p.t("login.remember")}</span></label>`;
}

export interface LoginProps extends PageBase {
  /** What the user typed, kept when the page is shown again after an error. */
  identity: string;
  /** Offer "Sign in with a passkey" (and autofill) when keys may sign in. */
  passkeys: boolean;
  /** Link to the sign-up page. */
  signUp: boolean;
  /** Offer "email / text me a sign-in code" for these channels (`signIn.codes`). */
  codeChannels: readonly ("email" | "sms")[];
}

/**
 * Sign in: passkey button and autofill (with the browser script), password form (always), a
 * code by email or SMS instead of the password (`signIn.codes`: the same form's identity,
 * posted to /code-signin), "Remember me", and the ways back in: "Forgot your password?"
 * (reset) and "Lost your passkey?" (recovery).
 */
export function loginPage(p: LoginProps): SafeHtml | string {
  const { t } = p;
  const query = p.next ? `?next=${encodeURIComponent(p.next)}` : "";
  const body = html`<div class="kw-card">
<h1>${t("login.title")}</h1>
<p class="kw-muted">${t("login.intro")}</p>
${alerts(p)}
${
  p.passkeys &&
  html`<div data-kw-needs="webauthn" hidden>
<button type="button" class="kw-btn kw-btn--primary kw-btn--block" data-kw-action="passkey-signin">${t("login.passkey")}</button>
<p class="kw-or">${t("login.or")}</p>
</div>
<div class="kw-alert kw-alert--warn" data-kw-no-passkey hidden>
<p>${t("login.noPasskey")}</p>
<p><a href="${p.prefix}/recover-account">${t("login.noPasskeyRecover")}</a></p>
</div>`
}
<form method="post" action="${p.prefix}/login" data-kw-form="login"${p.passkeys && html` data-kw-autofill`}>
${formState(p)}
<div class="kw-field">
<label for="kw-identity">${t("field.identity")}</label>
<input id="kw-identity" name="identity" type="text" autocomplete="${p.passkeys ? "username webauthn" : "username"}" autocapitalize="none" spellcheck="false" required maxlength="254" value="${p.identity}"${p.error ? "" : " autofocus"}>
</div>
<div class="kw-field">
<label for="kw-password">${t("field.password")}</label>
<input id="kw-password" name="password" type="password" autocomplete="current-password" required maxlength="1024"${p.error ? ' aria-invalid="true" autofocus' : ""}>
</div>
${rememberMe(p)}
<button type="submit" class="kw-btn kw-btn--block">${t("login.submit")}</button>
${
  p.codeChannels.length > 0 &&
  html`<p class="kw-or">${t("login.or")}</p>
${p.codeChannels.map(
  (channel) =>
    html`<button type="submit" class="kw-btn kw-btn--block" formaction="${p.prefix}/code-signin" formnovalidate name="channel" value="${channel}" data-kw-code="${channel}">${t(channel === "email" ? "login.codeEmail" : "login.codeSms")}</button>
`,
)}`
}
</form>
<p class="kw-links"><a href="${p.prefix}/reset-password">${t("login.forgotPassword")}</a>${
    p.passkeys && html` <a href="${p.prefix}/recover-account">${t("login.lostPasskey")}</a>`
  }</p>
</div>
${p.signUp && html`<p class="kw-alt">${t("login.noAccount")} <a href="${p.prefix}/register${query}">${t("login.signUp")}</a></p>`}`;
  return p.layout({ page: p, title: t("login.title"), body });
}
