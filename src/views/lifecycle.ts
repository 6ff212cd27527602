import type { SessionSummary } from "../session/manage.js";
import { type AttachmentDefaults, attachmentChoice, formatDate, keyNameField } from "./account.js";
import { html, type SafeHtml } from "./html.js";
import { alerts, formState, type PageBase } from "./layout.js";
import { amrInWords } from "./messages.js";

/**
 * The account lifecycle pages: password reset, account recovery, email confirmation, change
 * password / email, and the session list. Each form posts to the JSON route at the same path
 * (DESIGN §7); a link from an email only shows a button, so a mail scanner that follows links
 * spends nothing.
 */

export interface EmailRequestProps extends PageBase {
  /** What was typed, kept when the page is shown again after an error. */
  email: string;
}

export interface ResetPasswordProps extends PageBase {
  token: string;
  passwordMinLength: number;
  passwordMaxLength: number;
}

export interface RecoverLandingProps extends PageBase {
  token: string;
  /** The account has two-step verification and policy asks for a recovery code. */
  needsCode: boolean;
}

export interface RecoverKeyProps extends PageBase {
  /** Keys may sign in (passkeys); otherwise the new key is a second factor. */
  allowPasskeys: boolean;
  /**
   * Keys may be second factors (`webauthn` is in `twoFactor.methods`); with neither this nor
   * passkeys there is no key to add, and the page says to reset the password instead.
   */
  allowSecondaryKeys: boolean;
  /**
   * Where the new key lives unless the user chooses, per usage (WebauthnUtil.defaultAttachment):
   * a `first` key, the one a user who lost a device signs in with next, is not bound to one
   * device by default.
   */
  attachmentDefaults: AttachmentDefaults;
}

export interface ConfirmEmailProps extends PageBase {
  /** The token from the link: the page offers to confirm with it. */
  token: string | null;
  /** The address was just confirmed. */
  confirmed: boolean;
  /** Someone is signed in (the resend form needs no address then). */
  signedIn: boolean;
  email: string;
}

export interface ChangePasswordProps extends PageBase {
  hasPassword: boolean;
  fresh: boolean;
  passwordMinLength: number;
  passwordMaxLength: number;
}

export interface ChangeEmailProps extends PageBase {
  /** The current address. */
  email: string;
  /** The token from the link to the new address: the page offers to confirm with it. */
  token: string | null;
  fresh: boolean;
  newEmail: string;
}

export interface SessionsProps extends PageBase {
  sessions: SessionSummary[];
  fresh: boolean;
}

function verifyLink(p: PageBase, back: string): string {
  return `${p.prefix}/verify?next=${encodeURIComponent(`${p.prefix}${back}`)}`;
}

function emailField(p: EmailRequestProps): SafeHtml {
  return html`<div class="kw-field">
<label for="kw-email">${p.t("field.email")}</label>
<input id="kw-email" name="email" type="email" autocomplete="email" autocapitalize="none" spellcheck="false" required maxlength="254" value="${p.email}" autofocus${p.error ? ' aria-invalid="true"' : ""}>
</div>`;
}

function newPasswordField(p: PageBase, name: string, min: number, max: number): SafeHtml {
  return html`<div class="kw-field">
<label for="kw-new-password">${p.t("password.new")}</label>
<input id="kw-new-password" name="${name}" type="password" autocomplete="new-password" required minlength="${min}" maxlength="${max}" aria-describedby="kw-new-password-hint"${p.error ? ' aria-invalid="true"' : ""}>
<p class="kw-hint" id="kw-new-password-hint">${p.t("field.passwordHint", { min })}</p>
</div>`;
}

/** "Forgot your password?": ask for a reset link. */
export function resetRequestPage(p: EmailRequestProps): SafeHtml | string {
  const { t } = p;
  const body = html`<div class="kw-card">
<h1>${t("reset.title")}</h1>
<p>${t("reset.intro")}</p>
${alerts(p)}
<form method="post" action="${p.prefix}/reset-password">
${formState(p)}
${emailField(p)}
<button type="submit" class="kw-btn kw-btn--primary kw-btn--block">${t("reset.submit")}</button>
</form>
</div>
<p class="kw-alt">${t("reset.lostKey")} <a href="${p.prefix}/recover-account">${t("reset.recover")}</a></p>`;
  return p.layout({ page: p, title: t("reset.title"), body });
}

/** The reset link's page: choose the new password. */
export function resetPasswordPage(p: ResetPasswordProps): SafeHtml | string {
  const { t } = p;
  const body = html`<div class="kw-card">
<h1>${t("reset.newTitle")}</h1>
<p>${t("reset.newIntro")}</p>
${alerts(p)}
<form method="post" action="${p.prefix}/reset-password/complete">
${formState(p)}
<input type="hidden" name="token" value="${p.token}">
${newPasswordField(p, "password", p.passwordMinLength, p.passwordMaxLength)}
<button type="submit" class="kw-btn kw-btn--primary kw-btn--block">${t("reset.newSubmit")}</button>
</form>
</div>`;
  return p.layout({ page: p, title: t("reset.newTitle"), body });
}

/** "I lost my passkey": ask for a recovery link. */
export function recoverRequestPage(p: EmailRequestProps): SafeHtml | string {
  const { t } = p;
  const body = html`<div class="kw-card">
<h1>${t("recover.title")}</h1>
<p>${t("recover.intro")}</p>
${alerts(p)}
<form method="post" action="${p.prefix}/recover-account">
${formState(p)}
${emailField(p)}
<button type="submit" class="kw-btn kw-btn--primary kw-btn--block">${t("recover.submit")}</button>
</form>
</div>
<p class="kw-alt">${t("recover.usePassword")} <a href="${p.prefix}/reset-password">${t("recover.reset")}</a></p>`;
  return p.layout({ page: p, title: t("recover.title"), body });
}

/** The recovery link's page: continue (with a recovery code when policy asks for one). */
export function recoverLandingPage(p: RecoverLandingProps): SafeHtml | string {
  const { t } = p;
  const body = html`<div class="kw-card">
<h1>${t("recover.landingTitle")}</h1>
<p>${t("recover.landingIntro")}</p>
${alerts(p)}
<form method="post" action="${p.prefix}/recover-account/complete">
${formState(p)}
<input type="hidden" name="token" value="${p.token}">
${
  p.needsCode &&
  html`<div class="kw-field">
<label for="kw-code">${t("recover.code")}</label>
<input id="kw-code" name="recoveryCode" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false" required maxlength="64" aria-describedby="kw-code-hint" autofocus${p.error ? ' aria-invalid="true"' : ""}>
<p class="kw-hint" id="kw-code-hint">${t("recover.codeHint")}</p>
</div>`
}
<button type="submit" class="kw-btn kw-btn--primary kw-btn--block">${t("recover.continue")}</button>
</form>
</div>`;
  return p.layout({ page: p, title: t("recover.landingTitle"), body });
}

/**
 * In the recovery session: add the new key (the browser script runs the ceremony). The session
 * can do nothing else, so the script then goes to the sign-in page, which says to use the key.
 */
export function recoverKeyPage(p: RecoverKeyProps): SafeHtml | string {
  const { t } = p;
  if (!p.allowPasskeys && !p.allowSecondaryKeys) {
    const body = html`<div class="kw-card">
<h1>${t("recover.keyTitle")}</h1>
<p class="kw-alert kw-alert--warn">${t("recover.noKeys")}</p>
<p><a class="kw-btn kw-btn--primary" href="${p.prefix}/reset-password">${t("recover.reset")}</a></p>
</div>`;
    return p.layout({ page: p, title: t("recover.keyTitle"), body });
  }
  const usage = p.allowPasskeys ? "first" : "secondary";
  const body = html`<div class="kw-card">
<h1 id="kw-recover-key-h">${t("recover.keyTitle")}</h1>
<p>${t("recover.keyIntro")}</p>
${alerts(p)}
<p class="kw-muted" data-kw-unless="webauthn">${t("recover.needsJs")}</p>
<form data-kw-form="add-key" data-kw-needs="webauthn" data-kw-next="${p.prefix}/login?done=recovered" aria-labelledby="kw-recover-key-h" hidden>
${keyNameField(t("recover.keyName"), t("recover.keyNameHint"))}
${attachmentChoice(t, p.attachmentDefaults, usage)}
<input type="hidden" name="usage" value="${usage}">
<button type="submit" class="kw-btn kw-btn--primary kw-btn--block">${t("recover.keySubmit")}</button>
</form>
</div>`;
  return p.layout({ page: p, title: t("recover.keyTitle"), body });
}

/** The confirmation link's page, the "check your inbox" page, and the resend form. */
export function confirmEmailPage(p: ConfirmEmailProps): SafeHtml | string {
  const { t } = p;
  let content: SafeHtml;
  if (p.token !== null) {
    content = html`<p>${t("confirm.intro")}</p>
${alerts(p)}
<form method="post" action="${p.prefix}/confirm-email">
${formState(p)}
<input type="hidden" name="token" value="${p.token}">
<button type="submit" class="kw-btn kw-btn--primary kw-btn--block">${t("confirm.submit")}</button>
</form>`;
  } else if (p.confirmed) {
    content = html`${alerts(p)}
<p><a class="kw-btn kw-btn--primary" href="${p.signedIn ? p.home : `${p.prefix}/login`}">${t(p.signedIn ? "confirm.continue" : "common.signIn")}</a></p>`;
  } else {
    content = html`${alerts(p)}
<p>${t("confirm.resendIntro")}</p>
<form method="post" action="${p.prefix}/confirm-email/resend">
${formState(p)}
${!p.signedIn && emailField(p)}
<button type="submit" class="kw-btn kw-btn--block">${t("confirm.resend")}</button>
</form>`;
  }
  const body = html`<div class="kw-card">
<h1>${t("confirm.title")}</h1>
${content}
</div>`;
  return p.layout({ page: p, title: t("confirm.title"), body });
}

/** Change (or, for a passkey-only account, set) the password. */
export function changePasswordPage(p: ChangePasswordProps): SafeHtml | string {
  const { t } = p;
  const title = t(p.hasPassword ? "password.title" : "password.setTitle");
  const canSubmit = p.hasPassword || p.fresh;
  const body = html`<div class="kw-card">
<h1>${title}</h1>
<p>${t("password.intro")}</p>
${alerts(p)}
${
  canSubmit
    ? html`<form method="post" action="${p.prefix}/change-password">
${formState(p)}
${
  p.hasPassword &&
  html`<div class="kw-field">
<label for="kw-current-password">${t("password.current")}</label>
<input id="kw-current-password" name="currentPassword" type="password" autocomplete="current-password" maxlength="1024"${p.fresh ? html` aria-describedby="kw-current-hint"` : " required"}>
${p.fresh && html`<p class="kw-hint" id="kw-current-hint">${t("password.currentHint")}</p>`}
</div>`
}
${newPasswordField(p, "newPassword", p.passwordMinLength, p.passwordMaxLength)}
<button type="submit" class="kw-btn kw-btn--primary kw-btn--block">${t(p.hasPassword ? "password.submit" : "password.setSubmit")}</button>
</form>`
    : html`<p class="kw-alert kw-alert--warn">${t("password.stale")}</p>
<p><a class="kw-btn" href="${verifyLink(p, "/change-password")}">${t("common.confirmFirst")}</a></p>`
}
</div>
<p class="kw-alt"><a href="${p.prefix}/account">${t("common.back")}</a></p>`;
  return p.layout({ page: p, title, body });
}

/** Change the email: ask for a link to the new address, or confirm with that link. */
export function changeEmailPage(p: ChangeEmailProps): SafeHtml | string {
  const { t } = p;
  let body: SafeHtml;
  if (p.token !== null) {
    body = html`<div class="kw-card">
<h1>${t("email.confirmTitle")}</h1>
<p>${t("email.confirmIntro")}</p>
${alerts(p)}
<form method="post" action="${p.prefix}/change-email/complete">
${formState(p)}
<input type="hidden" name="token" value="${p.token}">
<button type="submit" class="kw-btn kw-btn--primary kw-btn--block">${t("email.confirmSubmit")}</button>
</form>
</div>`;
    return p.layout({ page: p, title: t("email.confirmTitle"), body });
  }
  body = html`<div class="kw-card">
<h1>${t("email.title")}</h1>
<p>${t("email.intro", { email: p.email })}</p>
${alerts(p)}
${
  p.fresh
    ? html`<form method="post" action="${p.prefix}/change-email">
${formState(p)}
<div class="kw-field">
<label for="kw-new-email">${t("email.new")}</label>
<input id="kw-new-email" name="newEmail" type="email" autocomplete="email" autocapitalize="none" spellcheck="false" required maxlength="254" value="${p.newEmail}"${p.error ? ' aria-invalid="true"' : ""}>
</div>
<button type="submit" class="kw-btn kw-btn--primary kw-btn--block">${t("email.submit")}</button>
</form>`
    : html`<p class="kw-alert kw-alert--warn">${t("email.stale")}</p>
<p><a class="kw-btn" href="${verifyLink(p, "/change-email")}">${t("common.confirmFirst")}</a></p>`
}
</div>
<p class="kw-alt"><a href="${p.prefix}/account">${t("common.back")}</a></p>`;
  return p.layout({ page: p, title: t("email.title"), body });
}

/** The user's sessions, with a sign-out button each and "sign out everywhere". */
export function sessionsPage(p: SessionsProps): SafeHtml | string {
  const { t } = p;
  const item = (s: SessionSummary) => html`<li class="kw-key">
<div class="kw-key-head">
<span class="kw-key-name">${s.device ?? t("sessions.unknownDevice")}</span>
${s.current && html`<span class="kw-badge kw-badge--first">${t("sessions.current")}</span>`}
${s.limited && html`<span class="kw-badge">${t("sessions.recovery")}</span>`}
</div>
<dl class="kw-meta">
<dt>${t("sessions.lastSeen")}</dt><dd>${formatDate(t, s.lastSeenAt)}</dd>
<dt>${t("sessions.signedIn")}</dt><dd>${formatDate(t, s.createdAt)}</dd>
<dt>${t("sessions.method")}</dt><dd data-kw-amr>${amrInWords(s.amr, t)}</dd>
${s.ip && html`<dt>${t("sessions.ip")}</dt><dd>${s.ip}</dd>`}
</dl>
${
  !s.current &&
  p.fresh &&
  html`<div class="kw-key-actions"><form method="post" action="${p.prefix}/sessions/revoke">
${formState(p)}
<input type="hidden" name="id" value="${s.id}">
<button type="submit" class="kw-btn kw-btn--small">${t("sessions.revoke")}</button>
</form></div>`
}
</li>`;
  const body = html`<section class="kw-card">
<h1>${t("sessions.title")}</h1>
<p>${t("sessions.intro")}</p>
${alerts(p)}
${
  !p.fresh &&
  p.sessions.length > 1 &&
  html`<p class="kw-alert kw-alert--warn">${t("sessions.stale")} <a href="${verifyLink(p, "/account/sessions")}">${t("common.confirmFirst")}</a></p>`
}
<ul class="kw-keys">${p.sessions.map(item)}</ul>
</section>
<section class="kw-card">
<h2>${t("sessions.everywhere")}</h2>
<p class="kw-muted">${t("sessions.everywhereIntro")}</p>
<form method="post" action="${p.prefix}/sign-out-everywhere" data-kw-confirm="${t("sessions.everywhereConfirm")}">
${formState({ ...p, next: undefined })}
<button type="submit" class="kw-btn kw-btn--danger">${t("sessions.everywhere")}</button>
</form>
</section>
<p class="kw-alt"><a href="${p.prefix}/account">${t("common.back")}</a></p>`;
  return p.layout({ page: p, title: t("sessions.title"), body, wide: true });
}
