import { describe, expect, it } from "vitest";
import { html } from "../../src/views/html.js";
import { sqlite } from "../helpers/databases.js";
import { FormBrowser } from "../helpers/form-browser.js";
import { useHarness } from "../helpers/harness.js";

/** The part of creation options these tests read. */
type CreationOptions = { authenticatorSelection: { authenticatorAttachment?: string } };

const errorOf = (text: string) => /id="kw-error"[^>]*>([^<]*)</.exec(text)?.[1];

describe("pages over plain HTTP: forms, redirects, errors, assets", () => {
  const h = useHarness(sqlite, { pages: { home: "/app" } });

  it("renders pages with a CSRF cookie, content-hashed assets and strict headers", async () => {
    const b = new FormBrowser(h);
    const page = await b.get("/auth/login");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(b.cookies.get("keyward_csrf")).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(page.text).toMatch(/<script src="\/auth\/static\/keyward\.js\?v=[\w-]{12}" defer>/);
    expect(page.text).toMatch(
      /<link rel="stylesheet" href="\/auth\/static\/keyward\.css\?v=[\w-]{12}">/,
    );
    expect(page.text).toContain('autocomplete="username webauthn"');
    expect(page.text).toContain('<label for="kw-identity">Email or username</label>');
  });

  it("serves the browser script for a year under its hash, and revalidates without it", async () => {
    const b = new FormBrowser(h);
    const page = await b.get("/auth/login");
    const src = /src="(\/auth\/static\/keyward\.js\?v=[^"]+)"/.exec(page.text)![1]!;
    const versioned = await b.request("GET", src);
    expect(versioned.status).toBe(200);
    expect(versioned.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(versioned.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const etag = versioned.headers.get("etag")!;
    const plain = await b.request("GET", "/auth/static/keyward.js");
    expect(plain.headers.get("cache-control")).toBe("public, max-age=300, must-revalidate");
    const again = await b.request("GET", "/auth/static/keyward.js", {
      headers: { "if-none-match": etag },
    });
    expect(again.status).toBe(304);
    const css = await b.request("GET", "/auth/static/keyward.css");
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
  });

  it("signs up by form: 303 to the account page; an empty optional field counts as absent", async () => {
    const b = new FormBrowser(h);
    const done = await b.submit("/auth/register", "/auth/register", {
      email: "form@example.com",
      username: "",
      password: "correct horse battery",
    });
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe("/auth/account?done=welcome");
    expect(b.cookies.get("keyward_session")).toBeDefined();
    const account = await b.get("/auth/account?done=welcome");
    expect(account.status).toBe(200);
    expect(account.text).toContain("Your account is ready.");
    expect(account.text).toContain("Signed in as form@example.com");
  });

  it("keeps the JSON contract for JSON clients and for forms that do not ask for HTML", async () => {
    const json = await h.client().post("/register", {
      email: "json@example.com",
      password: "correct horse battery",
    });
    expect(json.status).toBe(201);
    expect(json.body).toMatchObject({ user: { email: "json@example.com" } });
    const b = new FormBrowser(h);
    const page = await b.get("/auth/login");
    const token = /name="csrfToken" value="([^"]+)"/.exec(page.text)![1]!;
    const formJson = await b.post(
      "/auth/login",
      { csrfToken: token, identity: "json@example.com", password: "nope nope nope" },
      "application/json",
    );
    expect(formJson.status).toBe(401);
    expect(JSON.parse(formJson.text)).toMatchObject({ error: { code: "INVALID_CREDENTIALS" } });
  });

  it("shows a failed form again with the error and what was typed, never the password", async () => {
    const b = new FormBrowser(h);
    const failed = await b.submit("/auth/login", "/auth/login", {
      identity: "form@example.com",
      password: "wrong password",
    });
    expect(failed.status).toBe(401);
    expect(failed.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(errorOf(failed.text)).toBe("The email, username or password is not right.");
    expect(failed.text).toContain('value="form@example.com"');
    expect(failed.text).not.toContain("wrong password");
    expect(b.cookies.get("keyward_session")).toBeUndefined();

    const taken = await b.submit("/auth/register", "/auth/register", {
      email: "form@example.com",
      password: "correct horse battery",
    });
    expect(taken.status).toBe(409);
    expect(errorOf(taken.text)).toContain("already exists");
  });

  it("escapes what was typed when it is shown again", async () => {
    const b = new FormBrowser(h);
    const failed = await b.submit("/auth/login", "/auth/login", {
      identity: '"><script>alert(1)</script>',
      password: "wrong password",
    });
    expect(failed.text).not.toContain("<script>alert(1)</script>");
    expect(failed.text).toContain("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("refuses a form without its CSRF token, and says to try again", async () => {
    const b = new FormBrowser(h);
    await b.get("/auth/login");
    const refused = await b.post("/auth/login", {
      csrfToken: "forged",
      identity: "form@example.com",
      password: "correct horse battery",
    });
    expect(refused.status).toBe(403);
    expect(errorOf(refused.text)).toBe("This form expired. Please try again.");
    expect(b.cookies.get("keyward_session")).toBeUndefined();
  });

  it("continues to `next` only when it is a path on this site", async () => {
    const login = async (next: string) => {
      const b = new FormBrowser(h);
      const r = await b.submit("/auth/login", "/auth/login", {
        identity: "form@example.com",
        password: "correct horse battery",
        next,
      });
      expect(r.status).toBe(303);
      return r.headers.get("location");
    };
    expect(await login("/app/settings?tab=1")).toBe("/app/settings?tab=1");
    expect(await login("//evil.example/x")).toBe("/app");
    expect(await login("https://evil.example/")).toBe("/app");
    expect(await login("/\\evil.example")).toBe("/app");
  });

  it("sends a visitor without a session from the account page to sign in, and back", async () => {
    const b = new FormBrowser(h);
    const r = await b.get("/auth/account");
    expect(r.status).toBe(303);
    expect(r.headers.get("location")).toBe("/auth/login?next=%2Fauth%2Faccount");
    const login = await b.get("/auth/login?next=%2Fauth%2Faccount");
    expect(login.text).toContain('<input type="hidden" name="next" value="/auth/account">');
  });

  it("signs out by form and says so", async () => {
    const b = new FormBrowser(h);
    await b.submit("/auth/login", "/auth/login", {
      identity: "form@example.com",
      password: "correct horse battery",
    });
    const out = await b.submit("/auth/account", "/auth/logout", {});
    expect(out.status).toBe(303);
    expect(out.headers.get("location")).toBe("/auth/login?done=signed-out");
    expect((await b.get("/auth/login?done=signed-out")).text).toContain("You have signed out.");
  });

  it("asks for a passkey on this device when the user chooses it (first keys default to roaming)", async () => {
    const c = h.client();
    await c.post("/register", { email: "where@example.com", password: "correct horse battery" });
    const roaming = await c.post<{ options: CreationOptions }>("/wan-register", {
      name: "Key A",
      usage: "first",
    });
    expect(roaming.body.options.authenticatorSelection).toMatchObject({
      authenticatorAttachment: "cross-platform",
    });
    const here = await c.post<{ options: CreationOptions }>("/wan-register", {
      name: "Key B",
      usage: "first",
      attachment: "platform",
    });
    expect(here.body.options.authenticatorSelection).toMatchObject({
      authenticatorAttachment: "platform",
      residentKey: "preferred",
    });
    const secondary = await c.post<{ options: CreationOptions }>("/wan-register", {
      name: "Key C",
      usage: "secondary",
    });
    expect(secondary.body.options.authenticatorSelection.authenticatorAttachment).toBeUndefined();
    const bad = await c.post("/wan-register", { name: "Key D", usage: "first", attachment: "car" });
    expect(bad.status).toBe(400);
  });
});

describe("an emailed code as second factor, through the pages", () => {
  const mail: string[] = [];
  const lastCode = () => /\b(\d{6})\b/.exec(mail.at(-1) ?? "")?.[1] ?? "";
  const h = useHarness(sqlite, {
    pages: { home: "/app" },
    mailer: { send: async (message) => void mail.push(message.text) },
  });

  it("signs in with password, sends the code by form, and accepts it (AAL2)", async () => {
    const c = h.client();
    await c.post("/register", { email: "mailme@example.com", password: "correct horse battery" });
    const setup = await c.post<{ state: string }>("/tf-setup", { method: "email" });
    expect(setup.status).toBe(200);
    const enrolled = await c.post("/tf-setup-validate", {
      state: setup.body.state,
      code: lastCode(),
    });
    expect(enrolled.status).toBe(200);

    const b = new FormBrowser(h);
    const first = await b.submit("/auth/login", "/auth/login", {
      identity: "mailme@example.com",
      password: "correct horse battery",
      next: "/app/inbox",
    });
    expect(first.status).toBe(303);
    expect(first.headers.get("location")).toBe("/auth/tf-select?next=%2Fapp%2Finbox");
    expect(b.cookies.get("keyward_tf")).toMatch(/^[\w-]{43}$/);
    expect(b.cookies.get("keyward_session")).toBeUndefined();

    const choose = await b.get("/auth/tf-select?next=%2Fapp%2Finbox");
    expect(choose.status).toBe(200);
    expect(choose.text).toContain("Email me a code");
    const state = /name="state" value="([^"]+)"/.exec(choose.text)![1]!;
    const token = /name="csrfToken" value="([^"]+)"/.exec(choose.text)![1]!;
    const sent = await b.post("/auth/tf-select", {
      csrfToken: token,
      state,
      method: "email",
      next: "/app/inbox",
    });
    expect(sent.status).toBe(303);
    expect(sent.headers.get("location")).toBe("/auth/tf-validate?method=email&next=%2Fapp%2Finbox");

    const entry = await b.get("/auth/tf-validate?method=email&next=%2Fapp%2Finbox");
    expect(entry.text).toContain("We sent a code to your email.");
    const wrongCode = lastCode() === "000000" ? "111111" : "000000";
    const refused = await b.post("/auth/tf-validate", {
      csrfToken: token,
      state,
      method: "email",
      code: wrongCode,
    });
    expect(refused.status).toBe(400);
    expect(errorOf(refused.text)).toMatch(/isn&#39;t right/);
    const done = await b.post("/auth/tf-validate", {
      csrfToken: token,
      state,
      method: "email",
      code: lastCode(),
      next: "/app/inbox",
    });
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe("/app/inbox");
    expect(b.cookies.get("keyward_tf")).toBeUndefined();
    const me = await b.request("GET", "/auth/me");
    expect(JSON.parse(me.text).session).toMatchObject({ aal: 2, amr: ["pwd", "email"] });
  });

  it("sends a visitor whose pending sign-in is gone back to sign in", async () => {
    const b = new FormBrowser(h);
    const r = await b.get("/auth/tf-select");
    expect(r.status).toBe(303);
    expect(r.headers.get("location")).toBe("/auth/login?done=pending-expired");
  });
});

describe("apps shape the pages", () => {
  const h = useHarness(sqlite, {
    pages: {
      messages: {
        "register.title": "Konto erstellen",
        "register.submit": "Erstellen",
        "reset.title": "Passwort zurücksetzen",
        "error.TOKEN_INVALID": "Dieser Link gilt nicht.",
      },
      render: {
        login: (p) =>
          p.layout({
            page: p,
            title: "Custom",
            body: html`<p id="own">${p.csrfToken.length}</p>`,
          }),
        recoverRequest: (p) =>
          p.layout({
            page: p,
            title: "Own recovery",
            body: html`<form method="post" action="${p.prefix}/recover-account">
                <input type="hidden" name="csrfToken" value="${p.csrfToken}">
                <p id="own-error">${p.error}</p><p id="own-notice">${p.notice}</p>
              </form>`,
          }),
      },
      contentSecurityPolicy: "default-src 'self'; frame-ancestors 'none'",
      layout: ({ title, body }) =>
        html`<!doctype html><title>${title}</title><main class="app">${body}</main>`,
    },
  });

  it("uses the app's renderer, layout and messages", async () => {
    const b = new FormBrowser(h);
    const login = await b.get("/auth/login");
    expect(login.text).toBe(
      '<!doctype html><title>Custom</title><main class="app"><p id="own">43</p></main>',
    );
    const register = await b.get("/auth/register");
    expect(register.text).toContain("<h1>Konto erstellen</h1>");
    expect(register.text).toContain(">Erstellen</button>");
  });

  it("sends the app's Content-Security-Policy with the account lifecycle pages too", async () => {
    const b = new FormBrowser(h);
    for (const path of ["/auth/login", "/auth/reset-password", "/auth/recover-account"]) {
      const page = await b.get(path);
      expect(page.status).toBe(200);
      expect(page.headers.get("content-security-policy")).toBe(
        "default-src 'self'; frame-ancestors 'none'",
      );
    }
  });

  it("applies the app's messages and renderers to the account lifecycle pages", async () => {
    const b = new FormBrowser(h);
    const reset = await b.get("/auth/reset-password");
    expect(reset.text).toContain("<h1>Passwort zurücksetzen</h1>");
    const badLink = await b.get("/auth/reset-password?token=not-a-real-token");
    expect(errorOf(badLink.text)).toBe("Dieser Link gilt nicht.");

    const own = await b.get("/auth/recover-account?sent=1");
    expect(own.text).toContain("<title>Own recovery</title>");
    expect(own.text).toContain('<p id="own-notice">If an account uses that address');
    const token = /name="csrfToken" value="([^"]+)"/.exec(own.text)![1]!;
    const failed = await b.post("/auth/recover-account", { csrfToken: token, email: "nope" });
    expect(failed.status).toBe(400);
    expect(failed.text).toContain("<title>Own recovery</title>");
    expect(failed.text).toMatch(/<p id="own-error">Check what you entered/);
  });
});

describe("pages turned off", () => {
  const h = useHarness(sqlite, { pages: { enabled: false } });

  it("serves only the JSON API", async () => {
    const b = new FormBrowser(h);
    for (const path of ["/auth/login", "/auth/account", "/auth/static/keyward.js"]) {
      const r = await b.get(path);
      expect(r.status).toBe(404);
      expect(JSON.parse(r.text)).toMatchObject({ error: { code: "NOT_FOUND" } });
    }
  });
});
