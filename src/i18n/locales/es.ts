// STUB(i18n): a stand-in so the registry compiles and the tests have a few texts in this
// language; it is English for every other key. The translator's es.ts replaces this file.
import { en } from "./en.js";

export const es = {
  ...en,
  lang: "es",
  "login.title": "Iniciar sesión",
  "api.INVALID_CREDENTIALS": "El correo, el nombre de usuario o la contraseña no son correctos.",
} as const;
