import type { Amr } from "../core/types.js";
import type { ClientMessageKey, MessageKey, Messages, Translate } from "../i18n/catalogue.js";
import { inEnglish } from "../i18n/translator.js";

export type { ClientMessageKey, MessageKey, Messages, Translate };

/** The subset the browser script needs (keys starting with `client.`). */
export function clientMessages(messages: Readonly<Messages>): Record<ClientMessageKey, string> {
  const out: Partial<Record<ClientMessageKey, string>> = {};
  for (const key of Object.keys(messages) as MessageKey[]) {
    if (key.startsWith("client.")) out[key as ClientMessageKey] = messages[key];
  }
  return out as Record<ClientMessageKey, string>;
}

/**
 * Each authentication method reference in words ("key": a passkey or a security key, told
 * apart by the rest of the list). `mfa` and `user` add nothing a person needs to read.
 */
const amrTexts = {
  pwd: "amr.password",
  hwk: "key",
  swk: "key",
  mfa: null,
  user: null,
  pin: "amr.pin",
  otp: "amr.totp",
  sms: "amr.sms",
  email: "amr.email",
  rc: "amr.recovery",
  mca: "amr.approval",
  tel: "amr.phone",
  remembered: "amr.remembered",
} as const satisfies Record<Amr, MessageKey | "key" | null>;

/**
 * How a session was earned, in words: `["hwk", "mfa"]` is "passkey with fingerprint or PIN",
 * `["pwd", "hwk"]` "password and security key". A key that proved user verification as a
 * passkey (`mfa`) is a passkey with fingerprint or PIN; a key after another factor is a
 * security key (a second factor); a key alone, without user verification, a passkey. The one
 * mapping every page (and the demo) uses, so no page shows `hwk, mfa`. `t` is the pages'
 * catalogue (the app's translations); English by default. `appFactor`: what the app calls
 * its own second factor when one earned the session (AppSecondFactor.label), said instead of
 * the second step's generic word ("approval on another device").
 *
 * @example
 * amrInWords(session.amr); // "password and security key"
 * amrInWords(["pwd", "mca"], t, "Approve on your phone"); // "password and Approve on your phone"
 */
export function amrInWords(
  amr: readonly Amr[],
  t: Translate = inEnglish.t,
  appFactor?: string,
): string {
  const words = amr.flatMap((method, index) => {
    // An app's factor is the second step: the last method a two-step session records.
    if (appFactor !== undefined && index === amr.length - 1 && index > 0) return [appFactor];
    const text = amrTexts[method];
    if (text === null) return [];
    if (text !== "key") return [t(text)];
    if (amr.includes("mfa")) return [t("amr.passkeyVerified")];
    return [t(index === 0 ? "amr.passkey" : "amr.securityKey")];
  });
  if (words.length === 0) return t("amr.signUp");
  return listFormat(t).format([...new Set(words)]);
}

/** List formats by language tag ("lang" of a catalogue: one per language served). */
const listFormats = new Map<string, Intl.ListFormat>();

/** "a, b and c" in the page's language (English when the catalogue's tag is unknown). */
function listFormat(t: Translate): Intl.ListFormat {
  const lang = t("lang");
  let format = listFormats.get(lang);
  if (!format) {
    try {
      format = new Intl.ListFormat(lang, { type: "conjunction" });
    } catch {
      format = new Intl.ListFormat("en", { type: "conjunction" });
    }
    listFormats.set(lang, format);
  }
  return format;
}

/** `?done=` values a redirect may carry, and the message each shows. */
export const doneMessages = {
  "signed-out": "done.signedOut",
  welcome: "done.welcome",
  "key-added": "done.keyAdded",
  "key-renamed": "done.keyRenamed",
  "key-deleted": "done.keyDeleted",
  "key-deleted-signed-out": "done.keyDeletedSignedOut",
  "key-deleted-two-factor-off": "done.keyDeletedTwoFactorOff",
  "passkey-added": "done.passkeyAdded",
  "passkey-upgraded": "done.passkeyUpgraded",
  "factor-removed-signed-out": "done.factorRemovedSignedOut",
  verified: "done.verified",
  "two-factor-on": "done.twoFactorOn",
  "pending-expired": "done.pendingExpired",
  "step-expired": "done.stepExpired",
  recovered: "done.recovered",
} as const satisfies Record<string, MessageKey>;

export type DoneKey = keyof typeof doneMessages;
