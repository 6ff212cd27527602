import { describe, expect, it } from "vitest";
import { KeywardClient } from "../../src/browser/client.js";
import { KeywardClientError } from "../../src/browser/errors.js";
import { errorCatalogue } from "../../src/core/errors.js";
import { english, type MessageKey } from "../../src/i18n/catalogue.js";
import { shippedLanguages } from "../../src/i18n/languages.js";
import { Language } from "../../src/i18n/translator.js";
import { ConfigError, createKeyward, KeywardError } from "../../src/index.js";
import { escapeHtml } from "../../src/views/html.js";
import { signUp } from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { TEST_SECRET, type TestClient, useHarness } from "../helpers/harness.js";
import { Mailbox } from "../helpers/mailbox.js";
import { newUser, TestSms } from "../helpers/two-factor.js";

// The language of pages, API errors and mails follows the request's Accept-Language.

const [target] = await databaseTargets();
const SITE = "Keyward Test";
const german = new Language("de", shippedLanguages.de);
const french = new Language("fr", shippedLanguages.fr);
const inEnglish = new Language("en", english);

type ErrorBody = { error: { code: string; message: string; details?: Record<string, unknown> } };

/** The sign-in page as a browser asking for `acceptLanguage` gets it. */
async function loginPage(client: TestClient, acceptLanguage?: string): Promise<string> {
  const page = await client.get("/login", {
    accept: "text/html",
    ...(acceptLanguage ? { "accept-language": acceptLanguage } : {}),
  });
  expect(page.status).toBe(200);
  expect(page.headers.get("vary")).toMatch(/accept-language/i);
  return page.body as unknown as string;
}

function langOf(page: string): string | undefined {
  return /<html lang="([^"]+)"/.exec(page)?.[1];
}

async function wrongPassword(client: TestClient, acceptLanguage: string) {
  return client.post<ErrorBody>(
    "/login",
    { identity: "nobody@example.com", password: "not the password" },
    { "accept-language": acceptLanguage },
  );
}

describe("languages", () => {
  const box = new Mailbox();
  const sms = new TestSms();
  const h = useHarness(target!, {
    mailer: box,
    sms,
    signIn: { codes: ["email"] },
  });

  it("shows the sign-in page in German for Accept-Language de-AT, with lang=de", async () => {
    const page = await loginPage(h.client(), "de-AT,de;q=0.9,en;q=0.5");
    expect(langOf(page)).toBe("de");
    expect(german.t("login.title")).not.toBe(inEnglish.t("login.title"));
    expect(page).toContain(`<h1>${escapeHtml(german.t("login.title"))}`);
    // The browser script gets the page's language too.
    expect(page).toContain(JSON.stringify(german.t("client.cancelled")).slice(1, -1));
  });

  it("falls back to the default language for a language nobody offers, or no header", async () => {
    for (const header of ["xx-YY", undefined, "*"]) {
      const page = await loginPage(h.client(), header);
      expect(langOf(page), String(header)).toBe("en");
      expect(page).toContain(`<h1>${escapeHtml(inEnglish.t("login.title"))}`);
    }
  });

  it("follows q-values, not header order", async () => {
    expect(langOf(await loginPage(h.client(), "en;q=0.2, fr;q=0.5, de;q=0.9"))).toBe("de");
    expect(langOf(await loginPage(h.client(), "de;q=0.1, fr"))).toBe("fr");
    // q=0 means "not this one".
    expect(langOf(await loginPage(h.client(), "de;q=0, fr;q=0.3"))).toBe("fr");
  });

  it("says an API error in German with the same code, and in English for others", async () => {
    const de = await wrongPassword(h.client(), "de-DE");
    const en = await wrongPassword(h.client(), "en-US");
    expect(de.status).toBe(401);
    expect(en.status).toBe(401);
    expect(de.body.error.code).toBe("INVALID_CREDENTIALS");
    expect(en.body.error.code).toBe("INVALID_CREDENTIALS");
    expect(de.body.error.message).toBe(german.t("api.INVALID_CREDENTIALS"));
    expect(en.body.error.message).toBe(errorCatalogue.INVALID_CREDENTIALS.message);
    expect(de.body.error.message).not.toBe(en.body.error.message);
    expect(de.headers.get("vary")).toMatch(/accept-language/i);
    const fr = await wrongPassword(h.client(), "fr-CA");
    expect(fr.body.error.message).toBe(french.t("api.INVALID_CREDENTIALS"));
  });

  it("gives apps the message in the request's language (auth.api.errorMessage)", async () => {
    const refused = await h.auth.api
      .requireSession(new Headers({ "accept-language": "de-DE" }))
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(KeywardError);
    const error = refused as KeywardError;
    expect(error.code).toBe("UNAUTHENTICATED");
    const de = new Headers({ "accept-language": "de-DE" });
    expect(h.auth.api.errorMessage(error, de)).toBe(german.t("api.UNAUTHENTICATED"));
    expect(h.auth.api.errorMessage(error, new Headers())).toBe(error.message);
    const wrong = new KeywardError("INVALID_CREDENTIALS");
    expect(h.auth.api.errorMessage(wrong, de)).toBe(german.t("api.INVALID_CREDENTIALS"));
    expect(h.auth.api.errorMessage(wrong, de)).not.toBe(wrong.message);
  });

  it("keeps a thrower's specific English words in English only; details never change", async () => {
    const body = { identity: 42, password: "x" };
    const en = await h.client().post<ErrorBody>("/login", body, { "accept-language": "en" });
    const de = await h.client().post<ErrorBody>("/login", body, { "accept-language": "de" });
    expect(en.status).toBe(400);
    expect(de.status).toBe(400);
    expect(de.body.error.code).toBe("INVALID_INPUT");
    expect(en.body.error.message).not.toBe(errorCatalogue.INVALID_INPUT.message);
    expect(de.body.error.message).toBe(german.t("api.INVALID_INPUT"));
    expect(de.body.error.details).toEqual(en.body.error.details);
  });

  it("writes dates and device names on the sessions page in the page's language", async () => {
    const client = h.client();
    const firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    const email = `sessions-${Date.now()}@example.com`;
    const signup = await client.post(
      "/register",
      { email, password: "correct horse battery" },
      {
        "user-agent": firefox,
      },
    );
    expect(signup.status).toBe(201);
    const listed = await client.get<{ sessions: { createdAt: string; device: string }[] }>(
      "/sessions",
      { "accept-language": "de" },
    );
    const [session] = listed.body.sessions;
    expect(session!.device).toBe(
      german.t("device.browserOnOs", { browser: "Firefox", os: "Linux" }),
    );
    const page = await client.get("/account/sessions", {
      accept: "text/html",
      "accept-language": "de-DE",
    });
    expect(page.status).toBe(200);
    const html = page.body as unknown as string;
    expect(langOf(html)).toBe("de");
    const germanDate = new Intl.DateTimeFormat("de", {
      dateStyle: "medium",
      timeStyle: "short",
      timeZone: "UTC",
    }).format(new Date(session!.createdAt));
    const englishDate = new Intl.DateTimeFormat("en", {
      dateStyle: "medium",
      timeStyle: "short",
      timeZone: "UTC",
    }).format(new Date(session!.createdAt));
    expect(germanDate).not.toBe(englishDate);
    expect(html).toContain(escapeHtml(germanDate));
    expect(html).not.toContain(escapeHtml(englishDate));
  });

  it("mails a password reset link in the language of the request that asked for it", async () => {
    const email = await signUp(h.client());
    const mark = box.mark();
    const asked = await h
      .client()
      .post("/reset-password", { email }, { "accept-language": "de-CH, en;q=0.5" });
    expect(asked.status).toBeLessThan(300);
    // Sent in the background, after the answer: the language was captured with the request.
    const mail = await box.next(email, "reset-password", mark);
    expect(mail.locale).toBe("de");
    expect(mail.subject).toBe(german.t("mail.resetPassword.subject", { site: SITE }));
    expect(mail.subject).not.toBe(inEnglish.t("mail.resetPassword.subject", { site: SITE }));
    expect(mail.text).toContain(mail.link);
    // The lifetime in words, in German ("30 Minuten").
    expect(mail.text).toContain(german.duration(h.auth.config.lifecycle.resetWithin));
  });

  it("texts a code in the language of the request that asked for it", async () => {
    const { client } = await newUser(h);
    const phone = "+1 (415) 555-0199";
    const start = await client.post(
      "/tf-setup",
      { method: "sms", phone },
      { "accept-language": "de-DE" },
    );
    expect(start.status, JSON.stringify(start.body)).toBe(200);
    const text = sms.sent.at(-1)!.text;
    const code = /#(\d{6})$/.exec(text)?.[1];
    expect(code, text).toBeDefined();
    const minutes = Math.round(h.auth.config.twoFactor.codeWithin / 60_000);
    // The words in German; the WebOTP line after them is a format, the same in every language.
    expect(text).toBe(
      `${german.t("sms.code", { site: SITE, code: code!, minutes })}\n\n@localhost #${code}`,
    );
  });

  it("sends a sign-in code by email in the request's language", async () => {
    const email = await signUp(h.client());
    const mark = box.sent.length;
    const started = await h
      .client()
      .post("/code-signin", { identity: email, channel: "email" }, { "accept-language": "de" });
    expect(started.status).toBe(200);
    const deadline = Date.now() + 5000;
    while (!box.sent.slice(mark).some((m) => m.to === email) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const mail = box.sent.slice(mark).find((m) => m.to === email);
    const code = /\d{6}/.exec(mail?.subject ?? "")?.[0];
    expect(code, mail?.subject).toBeDefined();
    expect(mail!.subject).toBe(german.t("mail.code.subject", { site: SITE, code: code! }));
    expect(mail!.text).toContain(german.t("mail.code.notYou"));
  });
});

describe("languages: an app's choice and its own texts", () => {
  const h = useHarness(target!, {
    i18n: { defaultLocale: "de", locales: ["de", "en", "pt-BR"] },
    languages: {
      de: {
        "login.title": "Einloggen, bitte",
        "api.CODE_SIGNIN_DISABLED": "Anmelden mit Code ist hier ausgeschaltet.",
      },
      "pt-BR": { lang: "pt-BR", "login.title": "Entrar" },
    },
    pages: { messages: { "login.intro": "Hello again." } },
  });

  it("uses the configured default when the header names nothing offered", async () => {
    const page = await loginPage(h.client(), "fr");
    expect(langOf(page)).toBe("de");
    expect(page).toContain("<h1>Einloggen, bitte");
  });

  it("offers an app's own language, English where it has no text", async () => {
    const page = await loginPage(h.client(), "pt");
    expect(langOf(page)).toBe("pt-BR");
    expect(page).toContain("<h1>Entrar");
    expect(page).toContain(escapeHtml(inEnglish.t("login.passkey")));
  });

  it("keeps pages.messages as English overrides", async () => {
    const page = await loginPage(h.client(), "en-GB");
    expect(langOf(page)).toBe("en");
    expect(page).toContain("Hello again.");
    expect(await loginPage(h.client(), "de")).not.toContain("Hello again.");
  });

  it("lets KeywardClient ask for the server's messages in a language (locale option)", async () => {
    const refusal = async (locale: string) => {
      const client = new KeywardClient({ prefix: `${h.baseUrl}/auth`, locale, session: "token" });
      const error = await client
        .sendSignInCode({ identity: "someone@example.com", channel: "email" })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KeywardClientError);
      return error as KeywardClientError;
    };
    const de = await refusal("de-DE");
    const en = await refusal("en");
    expect(de.serverCode).toBe("CODE_SIGNIN_DISABLED");
    expect(en.serverCode).toBe("CODE_SIGNIN_DISABLED");
    expect(de.message).toBe("Anmelden mit Code ist hier ausgeschaltet.");
    expect(en.message).toBe(errorCatalogue.CODE_SIGNIN_DISABLED.message);
  });

  it("turns requests away while closing in their language, the code unchanged", async () => {
    const auth = await createKeyward({
      rp: { id: "localhost", name: SITE, origins: ["http://localhost"] },
      database: "sqlite::memory:",
      secret: TEST_SECRET,
      env: {},
    });
    await auth.close();
    const ask = async (acceptLanguage: string) => {
      const response = await auth.fetch(
        new Request("http://localhost/auth/me", { headers: { "accept-language": acceptLanguage } }),
      );
      expect(response.status).toBe(503);
      return ((await response.json()) as ErrorBody).error;
    };
    const de = await ask("de");
    const en = await ask("en");
    expect(de.code).toBe("STORE_UNAVAILABLE");
    expect(en.code).toBe("STORE_UNAVAILABLE");
    expect(de.message).toBe(german.t("api.STORE_UNAVAILABLE"));
    // English keeps the specific words.
    expect(en.message).not.toBe(errorCatalogue.STORE_UNAVAILABLE.message);
  });

  it("refuses at start a language nobody offers, or a text that is not MessageFormat", async () => {
    const base = {
      rp: { id: "localhost", name: SITE, origins: ["http://localhost"] },
      database: "sqlite::memory:",
      secret: TEST_SECRET,
      env: {},
    };
    await expect(createKeyward({ ...base, i18n: { locales: ["en", "it"] } })).rejects.toThrow(
      ConfigError,
    );
    await expect(
      createKeyward({ ...base, i18n: { defaultLocale: "fr", locales: ["en"] } }),
    ).rejects.toThrow(/i18n.defaultLocale/);
    const broken = { "login.title": "Hello {name" } as Partial<Record<MessageKey, string>>;
    await expect(createKeyward({ ...base, languages: { de: broken } })).rejects.toThrow(
      /login.title/,
    );
  });
});
