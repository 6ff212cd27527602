// STUB(i18n): a stand-in, English but for the keys below, until the translation of
// en-mail.ts into this language replaces this file.
import { enMail } from "./en-mail.js";

export const frMail = {
  ...enMail,
  "mail.resetPassword.subject": "Réinitialisez votre mot de passe {site}",
} as const;
