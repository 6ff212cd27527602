// STUB(i18n): a stand-in so the registry compiles and the tests have a few texts in this
// language; it is English for every other key. The translator's de.ts replaces this file.
import { en } from "./en.js";

export const de = {
  ...en,
  lang: "de",
  "login.title": "Anmelden",
  "client.cancelled":
    "Nichts wurde geändert: Die Anfrage wurde abgebrochen, oder dein Gerät konnte nicht bestätigen, dass du es bist.",
  "api.INVALID_CREDENTIALS": "E-Mail, Benutzername oder Passwort stimmen nicht.",
} as const;
