import { en } from "./locales/en.js";
import { enMail } from "./locales/en-mail.js";

/**
 * English, whole: the pages, the browser script and the API's error messages (locales/en.ts)
 * with the mails, code texts and warnings (locales/en-mail.ts). Its keys are every key a
 * language has; the fallback for a key an app's own language leaves out.
 */
export const english = { ...en, ...enMail } as const;

/** A key of the one catalogue. */
export type MessageKey = keyof typeof english;

/** A language's texts for the pages, the browser script and the API (a `<tag>.ts` file). */
export type PageCatalogue = { readonly [K in keyof typeof en]: string };
/** A language's texts for mails, code messages and warnings (a `<tag>-mail.ts` file). */
export type MailCatalogue = { readonly [K in keyof typeof enMail]: string };

/**
 * What every shipped language `satisfies`: a text for every key, so a missing one is a
 * compile error (test/unit/i18n-catalogue.test.ts also refuses extra keys and placeholders
 * that differ from English's).
 */
export type Catalogue = PageCatalogue & MailCatalogue;

/** Every key with its text: one language, as the app overrides it. */
export type Messages = Record<MessageKey, string>;

/** The browser script's keys. */
export type ClientMessageKey = Extract<MessageKey, `client.${string}`>;

/** Values for a message's `{placeholders}`. */
export type MessageParams = Record<string, string | number>;

/** Looks a message up in one language and formats it (ICU MessageFormat) with `params`. */
export type Translate = (key: MessageKey, params?: MessageParams) => string;
