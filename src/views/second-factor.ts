import {
  type BuiltInMethod,
  builtInFactors,
  type SecondFactorMethod,
  type SetupMethod,
} from "../factors/registry.js";
import { html, type SafeHtml } from "./html.js";
import { alerts, formState, type PageBase } from "./layout.js";
import type { MessageKey } from "./messages.js";

export interface SecondFactorProps extends PageBase {
  /** The pending sign-in's state (from the first factor); every form carries it. */
  state: string;
  /** The methods this user can complete, in the order to offer them (none: must enrol one). */
  methods: SecondFactorMethod[];
  /**
   * With no method to complete (`twoFactor.required`): the methods the user may set up here to
   * finish signing in, in the order to offer them (only those `twoFactor.methods` lists).
   */
  enrolMethods: SetupMethod[];
  /**
   * With no method to complete: a security key may be enrolled here too (keys are listed in
   * `twoFactor.methods`); the browser script runs its ceremony with the pending state.
   */
  enrolKey?: boolean;
  /** This browser carries a remember-this-device cookie: offer to skip the second step. */
  remembered: boolean;
  /**
   * Offer "remember this browser" for this many days with a key (undefined: not offered); the
   * code page offers it for codes.
   */
  rememberDays?: number | undefined;
  /**
   * The app's own second factors in play here (option `secondFactors`), in the order to list
   * them, with what to call them; those in `methods` are offered, after the built-in ones.
   */
  appFactors: AppFactorChoice[];
}

/** One of the app's own second factors, as the pages offer it. */
export interface AppFactorChoice {
  method: string;
  label: string;
  /** A code the user types, or an approval given elsewhere. */
  prompt: "code" | "approval";
}

/** Each method's button at the second step. */
const labels = {
  webauthn: "tf.key",
  totp: "tf.totp",
  sms: "tf.sms",
  email: "tf.email",
  recovery: "tf.recovery",
} as const satisfies Record<BuiltInMethod, MessageKey>;

/** The second step of sign-in: choose a method (a key runs in place; codes go to code entry). */
export function secondFactorPage(p: SecondFactorProps): SafeHtml | string {
  const { t } = p;
  const codePage = (method: string) =>
    `${p.prefix}/tf-validate?method=${method}${p.next ? `&next=${encodeURIComponent(p.next)}` : ""}`;
  const sendForm = (method: string, label: string) =>
    html`<li><form method="post" action="${p.prefix}/tf-select">
${formState(p)}<input type="hidden" name="state" value="${p.state}"><input type="hidden" name="method" value="${method}">
<button type="submit" class="kw-btn kw-btn--block">${label}</button></form></li>`;
  // One choice per method this user can complete, in the registry's order, shown as its
  // prompt says: a key runs in place, a code the user has opens the code page, a code that
  // must be sent first is a form that sends it.
  const choice = ({ method, prompt }: (typeof builtInFactors)[number]) => {
    if (!p.methods.includes(method)) return "";
    if (prompt === "key") {
      return html`<li class="kw-muted" data-kw-unless="webauthn">${t("site.needsWebauthn")}</li><li data-kw-needs="webauthn" hidden><button type="button" class="kw-btn kw-btn--primary kw-btn--block" data-kw-action="second-factor-key" data-kw-state="${p.state}">${t(labels[method])}</button>${
        p.rememberDays !== undefined &&
        html`<label class="kw-radio"><input id="kw-remember-device" type="checkbox" name="rememberDevice" value="on"> <span>${t("tf.remember", { days: p.rememberDays })}</span></label>`
      }</li>`;
    }
    if (prompt === "send") return sendForm(method, t(labels[method]));
    return html`<li><a class="kw-btn kw-btn--block" href="${codePage(method)}">${t(labels[method])}</a></li>`;
  };
  if (p.methods.length === 0) return enrolPage(p);
  const body = html`<div class="kw-card">
<h1>${t("tf.title")}</h1>
<p>${t("tf.intro")}</p>
${alerts(p)}
${
  p.remembered &&
  html`<form method="post" action="${p.prefix}/tf-remembered">${formState(p)}<input type="hidden" name="state" value="${p.state}">
<button type="submit" class="kw-btn kw-btn--primary kw-btn--block">${t("tf.remembered")}</button></form>
<p class="kw-or">${t("login.or")}</p>`
}
<ul class="kw-choices">
${builtInFactors.map(
  (factor) => html`${factor.method === "recovery" ? "" : choice(factor)}
`,
)}${p.appFactors.map(
  // The app's factor starts with /tf-select (a push sent, a code texted), then its page.
  (factor) => html`${p.methods.includes(factor.method) ? sendForm(factor.method, factor.label) : ""}
`,
)}${builtInFactors.map(
  (factor) => html`${factor.method === "recovery" ? choice(factor) : ""}
`,
)}</ul>
</div>
<p class="kw-alt"><a href="${p.prefix}/login">${t("tf.restart")}</a></p>`;
  return p.layout({ page: p, title: t("tf.title"), body });
}

/** Each method's button on the enrolment page. */
const enrolLabels = {
  totp: "tf.enrolTotp",
  sms: "tf.enrolSms",
  email: "tf.enrolEmail",
} as const satisfies Record<SetupMethod, MessageKey>;

/**
 * A sign-in held back until the account has a second factor (`twoFactor.required`): a security
 * key first when keys are offered (the browser script posts the pending state to /wan-register;
 * without it, a note says what it needs), then one form per method it may set up, each posting
 * to /tf-setup with the pending state.
 */
function enrolPage(p: SecondFactorProps): SafeHtml | string {
  const { t } = p;
  const enrolKey = p.enrolKey === true;
  const keyOffer =
    enrolKey &&
    html`<li class="kw-muted" data-kw-unless="webauthn">${t("site.needsWebauthn")}</li><li data-kw-needs="webauthn" hidden><button type="button" class="kw-btn kw-btn--primary kw-btn--block" data-kw-action="enrol-key" data-kw-state="${p.state}">${t("tf.enrolKey")}</button></li>
`;
  // SMS needs the number to text; the others need nothing typed.
  const fields = (method: SetupMethod) =>
    method === "sms" &&
    html`<div class="kw-field">
<label for="kw-phone">${t("field.phone")}</label>
<input id="kw-phone" name="phone" type="tel" autocomplete="tel" required maxlength="32" placeholder="+14155550123">
</div>
`;
  const offer = (method: SetupMethod, index: number) =>
    html`<li><form method="post" action="${p.prefix}/tf-setup">
${formState(p)}<input type="hidden" name="state" value="${p.state}"><input type="hidden" name="method" value="${method}">
${fields(method)}<button type="submit" class="kw-btn${index === 0 && !enrolKey ? " kw-btn--primary" : ""} kw-btn--block">${t(enrolLabels[method])}</button>
</form></li>
`;
  const body = html`<div class="kw-card">
<h1>${t("tf.enrolTitle")}</h1>
<p>${t(p.enrolMethods.length > 0 || enrolKey ? "tf.enrolIntro" : "tf.enrolNone")}</p>
${alerts(p)}
${
  (p.enrolMethods.length > 0 || enrolKey) &&
  html`<ul class="kw-choices">
${keyOffer}${p.enrolMethods.map(offer)}</ul>`
}
</div>
<p class="kw-alt"><a href="${p.prefix}/login">${t("tf.restart")}</a></p>`;
  return p.layout({ page: p, title: t("tf.enrolTitle"), body });
}

export interface SecondFactorCodeProps extends PageBase {
  state: string;
  /** A built-in method typed on this page (totp, sms, email, recovery), or an app's factor. */
  method: SecondFactorMethod;
  /** For an app's factor: what to call it, and whether it is a code or an approval. */
  appFactor?: AppFactorChoice | undefined;
  /** Where the code is posted (`/tf-validate`, or `/mf-recovery` for a recovery code). */
  action: string;
  /** Offer "remember this browser" for this many days (undefined: not offered). */
  rememberDays: number | undefined;
}

/**
 * Code entry for the chosen method: authenticator app, text, email or recovery code, or an
 * app's own factor; for an app's approval, the wait for it (a continue button).
 */
export function secondFactorCodePage(p: SecondFactorCodeProps): SafeHtml | string {
  const { t } = p;
  if (p.appFactor?.prompt === "approval") return approvalPage(p, p.appFactor);
  const intros: Record<string, string> = {
    totp: t("tf.codeTotp", { site: p.siteName }),
    sms: t("tf.codeSms"),
    email: t("tf.codeEmail"),
    recovery: t("tf.codeRecovery"),
  };
  const intro = p.appFactor ? t("tf.codeApp", { label: p.appFactor.label }) : intros[p.method];
  const numeric = p.method !== "recovery" && p.appFactor === undefined;
  const body = html`<div class="kw-card">
<h1>${t("tf.codeTitle")}</h1>
<p>${intro}</p>
${alerts(p)}
<form method="post" action="${p.action}" data-kw-form="code">
${formState(p)}
<input type="hidden" name="state" value="${p.state}">
${p.method !== "recovery" && html`<input type="hidden" name="method" value="${p.method}">`}
<div class="kw-field">
<label for="kw-code">${t("field.code")}</label>
<input id="kw-code" name="code" type="text" class="kw-code" required maxlength="64" autocomplete="one-time-code" autocapitalize="none" spellcheck="false"${numeric ? html` inputmode="numeric"` : ""} autofocus${p.error ? html` aria-invalid="true"` : ""}>
</div>
${
  p.rememberDays !== undefined &&
  p.method !== "recovery" &&
  html`<label class="kw-radio"><input type="checkbox" name="rememberDevice" value="on"> <span>${t("tf.remember", { days: p.rememberDays })}</span></label>`
}
<button type="submit" class="kw-btn kw-btn--primary kw-btn--block">${t("tf.codeSubmit")}</button>
</form>
</div>
<p class="kw-alt"><a href="${p.prefix}/tf-select${p.next ? `?next=${encodeURIComponent(p.next)}` : ""}">${t("tf.otherWay")}</a></p>`;
  return p.layout({ page: p, title: t("tf.codeTitle"), body });
}

/**
 * An app's approval factor, asked for: approve it elsewhere, then continue (the form posts to
 * /tf-validate without a code; until the approval arrives the page shows itself again with
 * "waiting for your approval"). The browser script may post it for the user (`data-kw-poll`).
 */
function approvalPage(p: SecondFactorCodeProps, factor: AppFactorChoice): SafeHtml | string {
  const { t } = p;
  const body = html`<div class="kw-card">
<h1>${t("tf.approvalTitle")}</h1>
<p>${t("tf.approvalIntro", { label: factor.label })}</p>
${alerts(p)}
<form method="post" action="${p.action}" data-kw-form="approval" data-kw-poll="approval">
${formState(p)}
<input type="hidden" name="state" value="${p.state}">
<input type="hidden" name="method" value="${p.method}">
${
  p.rememberDays !== undefined &&
  html`<label class="kw-radio"><input type="checkbox" name="rememberDevice" value="on"> <span>${t("tf.remember", { days: p.rememberDays })}</span></label>`
}
<button type="submit" class="kw-btn kw-btn--primary kw-btn--block">${t("tf.approvalContinue")}</button>
</form>
</div>
<p class="kw-alt"><a href="${p.prefix}/tf-select${p.next ? `?next=${encodeURIComponent(p.next)}` : ""}">${t("tf.otherWay")}</a></p>`;
  return p.layout({ page: p, title: t("tf.approvalTitle"), body });
}
