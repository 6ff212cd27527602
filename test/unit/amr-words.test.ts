import { describe, expect, it } from "vitest";
import type { Amr } from "../../src/core/types.js";
import { english } from "../../src/i18n/catalogue.js";
import { Language } from "../../src/i18n/translator.js";
import { amrInWords } from "../../src/views/messages.js";

describe("amrInWords: how a session signed in, in words", () => {
  it.each([
    [["hwk", "mfa"], "passkey with fingerprint or PIN"],
    [["swk", "mfa"], "passkey with fingerprint or PIN"],
    [["swk"], "passkey"],
    [["pwd"], "password"],
    [["pwd", "hwk"], "password and security key"],
    [["pwd", "otp"], "password and code from authenticator app"],
    [["pwd", "sms"], "password and code sent by text message"],
    [["pwd", "email"], "password and link or code sent by email"],
    [["pwd", "rc"], "password and recovery code"],
    [["pwd", "remembered"], "password and remembered browser"],
    [["hwk", "otp"], "passkey and code from authenticator app"],
    [["email"], "link or code sent by email"],
    [[], "account sign-up"],
    [["pwd", "mca"], "password and approval on another device"],
  ] satisfies [Amr[], string][])("%j → %s", (amr, words) => {
    expect(amrInWords(amr)).toBe(words);
  });

  it("says an app's own second factor by its label", () => {
    expect(amrInWords(["pwd", "mca"], undefined, "Approve on your phone")).toBe(
      "password and Approve on your phone",
    );
    // A one-step session has no second step to name.
    expect(amrInWords(["pwd"], undefined, "Approve on your phone")).toBe("password");
  });

  it("speaks the pages' language when given their translations", () => {
    const { t } = new Language("de", {
      ...english,
      lang: "de",
      "amr.password": "Passwort",
      "amr.securityKey": "Sicherheitsschlüssel",
    });
    expect(amrInWords(["pwd", "hwk"], t)).toBe("Passwort und Sicherheitsschlüssel");
  });
});
