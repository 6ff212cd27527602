import type { SignInMethods } from "../account/sign-in-methods.js";
import type { Amr } from "../core/types.js";
import type { SecondFactorMethod, TwoFactorStatus } from "../factors/enrolment.js";
import { isBuiltInMethod } from "../factors/names.js";
import type { KeyRemoval } from "../webauthn/manage.js";
import type { CredentialView } from "../webauthn/view.js";
import { html, type SafeHtml } from "./html.js";
import { alerts, formState, type PageBase } from "./layout.js";
import { amrInWords, type Translate } from "./messages.js";

/** A key as the account page lists it. */
export interface AccountKey extends CredentialView {
  /** A human name for the authenticator (from its AAGUID or transports). */
  authenticator: string;
  /** What deleting it would do (the last way to sign in, the only second factor). */
  removal: KeyRemoval;
}

/** Where a new key lives unless the user chooses, per usage (WebauthnUtil.defaultAttachment). */
export interface AttachmentDefaults {
  first: "platform" | "cross-platform" | null;
  secondary: "platform" | "cross-platform" | null;
}

export interface AccountProps extends PageBase {
  keys: AccountKey[];
  /** Recently signed in or re-verified: key changes are allowed without confirming first. */
  fresh: boolean;
  /** Keys may be registered for signing in (passkeys). */
  allowPasskeys: boolean;
  /** Keys may be registered as a second factor (`webauthn` is in `twoFactor.methods`). */
  allowSecondaryKeys: boolean;
  /** The user's second factors (methods, authenticator app, recovery codes, warnings). */
  twoFactor: TwoFactorStatus;
  /** What the server offers to set up here (the method is configured and its route exists). */
  offers: { totp: boolean; recoveryCodes: boolean };
  /** How this account can sign in: the page says it in words. */
  signIn: SignInMethods;
  /** Its only way to sign in is one passkey that is not backed up (onlySignInIsUnbackedKey). */
  onlyUnbackedKey: boolean;
  attachmentDefaults: AttachmentDefaults;
  /** How this session was earned (the page says it in words). */
  sessionAmr: Amr[];
  /** What the app calls its own second factor when one earned this session (its label). */
  sessionAppFactor?: string | undefined;
}

/** Date formats by language tag ("lang" of a catalogue: one per language served). */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** A date as "12 Mar 2025, 14:03 UTC" in the page's language. */
export function formatDate(t: Translate, iso: string): string {
  const lang = t("lang");
  let format = dateFormats.get(lang);
  if (!format) {
    const options = { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" } as const;
    try {
      format = new Intl.DateTimeFormat(lang, options);
    } catch {
      format = new Intl.DateTimeFormat("en", options); // an unknown language tag in "lang"
    }
    dateFormats.set(lang, format);
  }
  return `${format.format(new Date(iso))} UTC`;
}

function keyItem(p: AccountProps, key: AccountKey): SafeHtml {
  const { t } = p;
  const renameId = `kw-rename-${key.id}`;
  return html`<li class="kw-key" data-kw-key="${key.id}">
<div class="kw-key-head">
<span class="kw-key-name">${key.name}</span>
<span class="kw-badge${key.usage === "first" ? " kw-badge--first" : ""}">${t(
    key.usage === "first" ? "account.usage.first" : "account.usage.secondary",
  )}</span>
${backupBadge(t, key)}
</div>
<dl class="kw-meta">
<dt>${t("account.authenticator")}</dt><dd>${key.authenticator}</dd>
<dt>${t("account.added")}</dt><dd>${formatDate(t, key.createdAt)}</dd>
${key.createdBy === "upgrade" && html`<dt>${t("account.createdBy")}</dt><dd data-kw-created-by="upgrade">${t("account.createdByUpgrade")}</dd>`}
<dt>${t("account.lastUsed")}</dt><dd>${key.lastUsedAt ? formatDate(t, key.lastUsedAt) : t("account.neverUsed")}</dd>
</dl>
${key.flags.includes("counter-regression") && html`<p class="kw-alert kw-alert--warn">${t("account.flagged")}</p>`}
<div class="kw-key-actions">
<details>
<summary class="kw-btn kw-btn--small">${t("account.rename")}</summary>
<form method="post" action="${p.prefix}/wan-rename" class="kw-rename">
${formState(p)}
<input type="hidden" name="id" value="${key.id}">
<label class="kw-sr" for="${renameId}">${t("account.renameLabel", { name: key.name })}</label>
<input id="${renameId}" name="newName" type="text" required maxlength="256" value="${key.name}">
<button type="submit" class="kw-btn kw-btn--small">${t("account.renameSubmit")}</button>
</form>
</details>
<form method="post" action="${p.prefix}/wan-delete" data-kw-confirm="${deleteConfirm(t, key)}">
${formState(p)}
<input type="hidden" name="id" value="${key.id}">
${
  // The last way to sign in goes only with this confirmation, with or without JavaScript.
  key.removal.leavesNoSignIn &&
  html`<label class="kw-check"><input type="checkbox" name="confirm" value="last-sign-in-method" required> <span>${t("account.deleteLastSignInCheck")}</span></label>`
}
<button type="submit" class="kw-btn kw-btn--small kw-btn--danger" aria-label="${t("account.deleteLabel", { name: key.name })}">${t("account.delete")}</button>
</form>
</div>
</li>`;
}

/** Whether the key survives losing its device, in words (KeyBackup), its meaning on hover. */
function backupBadge(t: Translate, key: AccountKey): SafeHtml {
  const [modifier, label, hint] =
    key.backup === "synced"
      ? [" kw-badge--synced", t("account.synced"), t("account.syncedHint")]
      : key.backup === "not-backed-up"
        ? [" kw-badge--warn", t("account.notBackedUp"), t("account.notBackedUpHint")]
        : ["", t("account.deviceBound"), t("account.deviceBoundHint")];
  return html`<span class="kw-badge${modifier}" data-kw-backup="${key.backup}" title="${hint}">${label}</span>`;
}

/** What the delete button asks, saying what else goes with the key. */
function deleteConfirm(t: Translate, key: AccountKey): string {
  if (key.removal.leavesNoSignIn) return t("account.deleteLastSignIn", { name: key.name });
  if (key.removal.turnsOffTwoFactor) {
    return t("account.deleteOnlySecondFactor", { name: key.name });
  }
  return t("account.deleteConfirm", { name: key.name });
}

/**
 * "Where is the key?": shown when this device can hold one. The checked choice follows the
 * usage's default (none: the browser offers what it has); the script switches it with the usage.
 */
/** The name field of every add-a-key form (account, sign-up, recovery), with its hint. */
export function keyNameField(label: string, hint: string): SafeHtml {
  return html`<div class="kw-field">
<label for="kw-key-name">${label}</label>
<input id="kw-key-name" name="name" type="text" maxlength="256" aria-describedby="kw-key-name-hint">
<p class="kw-hint" id="kw-key-name-hint">${hint}</p>
</div>`;
}

export function attachmentChoice(
  t: Translate,
  defaults: AttachmentDefaults,
  usage: "first" | "secondary",
): SafeHtml {
  const checked = (value: string) => (defaults[usage] === value ? html` checked` : "");
  return html`<fieldset data-kw-needs="platform" data-kw-attachment data-kw-default-first="${defaults.first ?? ""}" data-kw-default-secondary="${defaults.secondary ?? ""}" hidden>
<legend>${t("account.where")}</legend>
<label class="kw-radio"><input type="radio" name="attachment" value="platform"${checked("platform")}> <span>${t("account.wherePlatform")}</span></label>
<label class="kw-radio"><input type="radio" name="attachment" value="cross-platform"${checked("cross-platform")}> <span>${t("account.whereCrossPlatform")}</span></label>
<label class="kw-radio"><input type="radio" name="attachment" value="hybrid"> <span>${t("account.whereHybrid")}</span></label>
</fieldset>`;
}

/** Whether a platform key would be the account's only kind of second factor (lost with its device). */
function platformWouldBeOnly(tf: TwoFactorStatus): boolean {
  return !(tf.totp || tf.sms !== null || tf.email !== null || tf.keys.some((k) => k.roaming));
}

/** The recovery codes the first second-factor key brings, filled in by the script, shown once. */
function recoveryCodesTemplate(p: AccountProps): SafeHtml {
  const { t } = p;
  const header = t("recovery.fileHeader", { site: p.siteName, email: p.user?.email ?? "" });
  const filename = `${p.siteName.replace(/[^\p{L}\p{N}]+/gu, "-").toLowerCase()}-recovery-codes.txt`;
  return html`<template data-kw-template="recovery-codes">
<h3 tabindex="-1">${t("recovery.title")}</h3>
<p>${t("recovery.intro")}</p>
<ul class="kw-codes" data-kw-codes></ul>
<div class="kw-row">
<button type="button" class="kw-btn" data-kw-action="copy-codes" data-kw-copied="${t("recovery.copied")}" data-kw-needs="clipboard" hidden>${t("recovery.copy")}</button>
<a class="kw-btn" data-kw-download="${header}" download="${filename}" href="#">${t("recovery.download")}</a>
</div>
<a class="kw-btn kw-btn--primary kw-btn--block" href="${p.prefix}/account?done=key-added">${t("recovery.done")}</a>
</template>`;
}

function addKeyForm(p: AccountProps): SafeHtml | "" {
  const { t } = p;
  // Only usages that could be used are offered; the route refuses the others.
  if (!p.allowPasskeys && !p.allowSecondaryKeys) return "";
  return html`<h3 id="kw-add-h">${t("account.add")}</h3>
<p class="kw-muted" data-kw-unless="webauthn">${t("account.addNeedsJs")}</p>
<form data-kw-form="add-key" data-kw-needs="webauthn" aria-labelledby="kw-add-h" hidden>
${keyNameField(t("account.keyName"), t("account.keyNameHint"))}
${
  p.allowPasskeys && p.allowSecondaryKeys
    ? html`<fieldset>
<legend>${t("account.usage")}</legend>
<label class="kw-radio"><input type="radio" name="usage" value="first" checked> <span>${t("account.usageFirst")}</span></label>
<label class="kw-radio"><input type="radio" name="usage" value="secondary"> <span>${t("account.usageSecondary")}</span></label>
</fieldset>`
    : html`<input type="hidden" name="usage" value="${p.allowPasskeys ? "first" : "secondary"}">`
}
${attachmentChoice(t, p.attachmentDefaults, p.allowPasskeys ? "first" : "secondary")}
${
  // Said before the key is added, not after: the script shows it for a platform second factor.
  p.allowSecondaryKeys &&
  platformWouldBeOnly(p.twoFactor) &&
  html`<p class="kw-alert kw-alert--warn" data-kw-warn="platform-second-factor" hidden>${t("account.platformSecondWarning")}</p>`
}
<button type="submit" class="kw-btn kw-btn--primary">${t("account.addSubmit")}</button>
</form>
${p.allowSecondaryKeys && p.offers.recoveryCodes && recoveryCodesTemplate(p)}`;
}

function methodList(t: Translate, status: TwoFactorStatus): string {
  const label = (m: SecondFactorMethod) =>
    status.app.find((a) => a.method === m)?.label ??
    (isBuiltInMethod(m) ? t(`account.method.${m}`) : m);
  return status.methods
    .filter((m) => m !== "recovery")
    .map(label)
    .join(", ");
}

function twoFactorSection(p: AccountProps): SafeHtml {
  const { t } = p;
  const tf = p.twoFactor;
  return html`<section class="kw-card" aria-labelledby="kw-tf-h">
<h2 id="kw-tf-h">${t("account.twoFactor")}</h2>
<p>${tf.enabled ? t("account.twoFactorOn", { methods: methodList(t, tf) }) : t("account.twoFactorOff")}</p>
${tf.warnings.map((w) => html`<p class="kw-alert kw-alert--warn">${w.message}</p>`)}
${
  p.offers.totp &&
  html`<h3>${t("account.totp")}</h3>
<p class="kw-muted">${tf.totp ? t("account.totpOn") : t("account.totpOff")}</p>
<div class="kw-section-actions">
<form method="post" action="${p.prefix}/tf-setup">
${formState(p)}
<input type="hidden" name="method" value="totp">
<button type="submit" class="kw-btn">${tf.totp ? t("account.totpReplace") : t("account.totpSetup")}</button>
</form>
${
  tf.totp &&
  html`<form method="post" action="${p.prefix}/tf-setup" data-kw-confirm="${t("account.totpOffConfirm")}">
${formState(p)}
<input type="hidden" name="method" value="disable"><input type="hidden" name="only" value="totp">
<button type="submit" class="kw-btn kw-btn--danger">${t("account.totpTurnOff")}</button>
</form>`
}
</div>`
}
${
  p.offers.recoveryCodes &&
  tf.enabled &&
  html`<h3>${t("account.recovery")}</h3>
<p class="kw-muted">${t("account.recoveryIntro")} ${t("account.recoveryLeft", { count: tf.recoveryCodesLeft })}</p>
<form method="post" action="${p.prefix}/mf-recovery-codes"${tf.recoveryCodesLeft > 0 ? html` data-kw-confirm="${t("account.recoveryConfirm")}"` : ""}>
${formState(p)}
<button type="submit" class="kw-btn">${t("account.recoveryGenerate")}</button>
</form>`
}
</section>`;
}

/** Email, password and sessions: what they are, and links to the pages that change them. */
function detailsSection(p: AccountProps): SafeHtml {
  const { t, prefix } = p;
  const hasPassword = p.user?.hasPassword ?? false;
  const item = (name: string, text: string, href: string, action: string) =>
    html`<li class="kw-setting">
<div class="kw-setting-text"><h3>${name}</h3><p class="kw-muted">${text}</p></div>
<a class="kw-btn kw-btn--small" href="${href}">${action}</a>
</li>`;
  return html`<section class="kw-card" aria-labelledby="kw-details-h">
<h2 id="kw-details-h">${t("account.details")}</h2>
<ul class="kw-settings">
${item(t("account.email"), p.user?.email ?? "", `${prefix}/change-email`, t("account.changeEmail"))}
${item(
  t("account.password"),
  t(hasPassword ? "account.passwordOn" : "account.passwordOff"),
  `${prefix}/change-password`,
  t(hasPassword ? "account.changePassword" : "account.setPassword"),
)}
${item(
  t("account.sessions"),
  `${t("account.sessionsIntro")} ${t("account.thisSession", { methods: amrInWords(p.sessionAmr, t, p.sessionAppFactor) })}`,
  `${prefix}/account/sessions`,
  t("account.sessionsLink"),
)}
</ul>
</section>`;
}

/** How this account signs in, in words; a warning when it has no way at all. */
function signInSummary(p: AccountProps): SafeHtml {
  const { t } = p;
  const { password, passkeys } = p.signIn;
  if (!password && passkeys === 0) {
    return html`<p class="kw-alert kw-alert--warn" data-kw-sign-in="none" role="alert">${t("account.signIn.none")}</p>`;
  }
  const [kind, text] = !password
    ? [
        "passkeys",
        passkeys === 1
          ? t("account.signIn.passkey")
          : t("account.signIn.passkeys", { count: passkeys }),
      ]
    : passkeys === 0
      ? ["password", t("account.signIn.password")]
      : ["both", t("account.signIn.both")];
  return html`<p class="kw-lead" data-kw-sign-in="${kind}">${text}</p>${
    p.onlyUnbackedKey &&
    html`<p class="kw-alert kw-alert--warn" data-kw-warn="unbacked-key">${t("account.onlyUnbackedKey")}</p>`
  }`;
}

/** The keys section's title and intro name only the kinds of key this site uses. */
function keysHeading(p: AccountProps): SafeHtml {
  const { t } = p;
  const [title, intro] =
    p.allowPasskeys && p.allowSecondaryKeys
      ? (["account.keys", "account.keysIntro"] as const)
      : p.allowSecondaryKeys
        ? (["account.keysSecurityKeys", "account.keysSecurityKeysIntro"] as const)
        : (["account.keysPasskeys", "account.keysPasskeysIntro"] as const);
  return html`<h2 id="kw-keys-h">${t(title)}</h2>
<p class="kw-muted">${t(intro)}</p>`;
}

/**
 * The account's sign-in settings: keys (list, add, rename, delete), two-step, recovery codes,
 * and links to change the email or password and to review sessions.
 */
export function accountPage(p: AccountProps): SafeHtml | string {
  const { t } = p;
  const here = `${p.prefix}/account`;
  const body = html`<h1>${t("account.title")}</h1>
${alerts(p)}
${signInSummary(p)}
${
  !p.fresh &&
  html`<p class="kw-alert kw-alert--warn">${t("account.stale")} <a href="${p.prefix}/verify?next=${encodeURIComponent(here)}">${t("account.staleAction")}</a></p>`
}
<section class="kw-card" aria-labelledby="kw-keys-h" data-kw-signal>
${keysHeading(p)}
${
  p.keys.length === 0
    ? html`<p>${t("account.noKeys")}</p>`
    : html`<ul class="kw-keys">${p.keys.map((key) => keyItem(p, key))}</ul>`
}
${addKeyForm(p)}
</section>
${twoFactorSection(p)}
${detailsSection(p)}`;
  return p.layout({ page: p, title: t("account.title"), body, wide: true });
}
