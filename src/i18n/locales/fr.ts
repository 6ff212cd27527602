// STUB(i18n): a stand-in so the registry compiles and the tests have a few texts in this
// language; it is English for every other key. The translator's fr.ts replaces this file.
import { en } from "./en.js";

export const fr = {
  ...en,
  lang: "fr",
  "login.title": "Se connecter",
  "api.INVALID_CREDENTIALS": "L’e-mail, le nom d’utilisateur ou le mot de passe est incorrect.",
} as const;
