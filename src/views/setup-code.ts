import type { SetupMethod } from "../factors/registry.js";
import { html, type SafeHtml } from "./html.js";
import { alerts, formState, type PageBase } from "./layout.js";

export interface SetupCodeProps extends PageBase {
  /** The method being set up whose code was sent: a text message or an email. */
  method: Exclude<SetupMethod, "totp">;
  /** The setup's state; the form posts it with the code to /tf-setup-validate. */
  state: string;
  /** Where the code went, masked (undefined when shown again after a wrong code). */
  destination: string | undefined;
}

/** Setting up a code sent by SMS or email: the code proves the phone or mailbox, then it is on. */
export function setupCodePage(p: SetupCodeProps): SafeHtml | string {
  const { t } = p;
  const sent =
    p.destination === undefined
      ? t(p.method === "sms" ? "tf.codeSms" : "tf.codeEmail")
      : t(p.method === "sms" ? "setupCode.sms" : "setupCode.email", { to: p.destination });
  const body = html`<div class="kw-card">
<h1>${t("setupCode.title")}</h1>
${alerts(p)}
<p>${sent}</p>
<form method="post" action="${p.prefix}/tf-setup-validate" data-kw-form="code">
${formState(p)}
<input type="hidden" name="state" value="${p.state}">
<div class="kw-field">
<label for="kw-code">${t("field.code")}</label>
<input id="kw-code" name="code" type="text" class="kw-code" inputmode="numeric" required maxlength="10" autocomplete="one-time-code" autofocus${p.error ? html` aria-invalid="true"` : ""}>
</div>
<button type="submit" class="kw-btn kw-btn--primary kw-btn--block">${t("totp.submit")}</button>
</form>
</div>
<p class="kw-alt"><a href="${p.user ? `${p.prefix}/account` : `${p.prefix}/login`}">${t("verify.cancel")}</a></p>`;
  return p.layout({ page: p, title: t("setupCode.title"), body });
}
