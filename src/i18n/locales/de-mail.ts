// STUB(i18n): a stand-in, English but for the keys below, until the translation of
// en-mail.ts into this language replaces this file.
import { enMail } from "./en-mail.js";

export const deMail = {
  ...enMail,
  "mail.resetPassword.subject": "Setze dein Passwort für {site} zurück",
} as const;
