import type { Catalogue } from "./catalogue.js";
import { english } from "./catalogue.js";
import { de } from "./locales/de.js";
import { deMail } from "./locales/de-mail.js";
import { es } from "./locales/es.js";
import { esMail } from "./locales/es-mail.js";
import { fr } from "./locales/fr.js";
import { frMail } from "./locales/fr-mail.js";

/**
 * The languages Keyward ships, by BCP 47 tag, each complete: `<tag>.ts` (pages, browser
 * script, API errors) and `<tag>-mail.ts` (mails, code texts, warnings) merged, and held to
 * every key of English by the `Catalogue` type. Adding a language here ships it; apps add
 * their own with the `languages` option of createKeyward (docs/languages.md).
 */
export const shippedLanguages = {
  en: english,
  de: { ...de, ...deMail } satisfies Catalogue,
  fr: { ...fr, ...frMail } satisfies Catalogue,
  es: { ...es, ...esMail } satisfies Catalogue,
} as const satisfies Record<string, Catalogue>;

export type ShippedLanguage = keyof typeof shippedLanguages;
