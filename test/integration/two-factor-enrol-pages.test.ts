import { describe, expect, it } from "vitest";
import type { KeywardOptions } from "../../src/index.js";
import { Cookies } from "../../src/session/cookies.js";
import { PASSWORD } from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { FormBrowser } from "../helpers/form-browser.js";
import { type Harness, useHarness } from "../helpers/harness.js";
import { errorCode, newUser, TestMailer, TestSms } from "../helpers/two-factor.js";

const targets = await databaseTargets();

const errorOf = (text: string) => /id="kw-error"[^>]*>([^<]*)</.exec(text)?.[1];
/** The `method` of every form on a page that posts to /tf-setup. */
const setupOffers = (text: string) =>
  [
    ...text.matchAll(
      /<form method="post" action="\/auth\/tf-setup">[\s\S]*?name="method" value="([^"]+)"/g,
    ),
  ].map((m) => m[1]);
const stateOf = (text: string) => /name="state" value="([^"]+)"/.exec(text)?.[1] ?? "";

/** Signs an account without a second factor in with its password, through the sign-in form. */
async function heldBackSignIn(h: Harness) {
  const { client, email } = await newUser(h);
  await client.post("/logout");
  const b = new FormBrowser(h);
  const login = await b.submit("/auth/login", "/auth/login", {
    identity: email,
    password: PASSWORD,
  });
  expect(login.status, login.text.slice(0, 300)).toBe(303);
  const enrol = await b.get(login.headers.get("location")!);
  expect(enrol.status).toBe(200);
  return { b, email, enrol };
}

describe.each(targets)("the forced enrolment page on $name", (target) => {
  describe("with SMS and email listed (no authenticator app)", () => {
    const sms = new TestSms();
    const mailer = new TestMailer();
    const h = useHarness(target, {
      twoFactor: { required: true, methods: ["sms", "email"] },
      signIn: { codes: ["email"] },
      sms,
      mailer,
    } satisfies Partial<KeywardOptions>);

    it("offers a text message and an email code, and never an authenticator app", async () => {
      const { enrol } = await heldBackSignIn(h);
      expect(setupOffers(enrol.text)).toEqual(["sms", "email"]);
      expect(enrol.text).toContain("Text a code to my phone");
      expect(enrol.text).toContain("Email a code to me");
      expect(enrol.text).not.toContain("authenticator app");
      expect(enrol.text).toContain('name="phone" type="tel"');
      // Keys are not listed here: no key is offered.
      expect(enrol.text).not.toContain('data-kw-action="enrol-key"');
    });

    it("sets up email from the page: the code sent, a wrong one shown again, then signed in", async () => {
      const { b, email, enrol } = await heldBackSignIn(h);
      const csrfToken = /name="csrfToken" value="([^"]+)"/.exec(enrol.text)![1]!;
      const sent = await b.post("/auth/tf-setup", {
        csrfToken,
        state: stateOf(enrol.text),
        method: "email",
      });
      expect(sent.status, sent.text.slice(0, 300)).toBe(200);
      expect(sent.headers.get("content-type")).toMatch(/^text\/html/);
      expect(sent.text).toContain('action="/auth/tf-setup-validate"');
      const setupState = stateOf(sent.text);

      const wrong = await b.post("/auth/tf-setup-validate", {
        csrfToken,
        state: setupState,
        code: "000000",
      });
      expect(wrong.status).toBe(400);
      expect(errorOf(wrong.text)).toBeDefined();
      expect(stateOf(wrong.text)).toBe(setupState);
      expect(b.cookies.has("keyward_session")).toBe(false);

      const done = await b.post("/auth/tf-setup-validate", {
        csrfToken,
        state: setupState,
        code: mailer.lastCode(email),
      });
      expect(done.status, done.text.slice(0, 300)).toBe(303);
      const me = await b.request("GET", "/auth/me");
      expect(JSON.parse(me.text)).toMatchObject({ session: { aal: 2, amr: ["pwd", "email"] } });
    });

    it("sets up SMS from the page with the number typed there", async () => {
      const { b, enrol } = await heldBackSignIn(h);
      const csrfToken = /name="csrfToken" value="([^"]+)"/.exec(enrol.text)![1]!;
      const phone = "+14155550123";
      const sent = await b.post("/auth/tf-setup", {
        csrfToken,
        state: stateOf(enrol.text),
        method: "sms",
        phone,
      });
      expect(sent.status, sent.text.slice(0, 300)).toBe(200);
      const done = await b.post("/auth/tf-setup-validate", {
        csrfToken,
        state: stateOf(sent.text),
        code: sms.lastCode(phone),
      });
      expect(done.status, done.text.slice(0, 300)).toBe(303);
      const me = await b.request("GET", "/auth/me");
      expect(JSON.parse(me.text)).toMatchObject({ session: { aal: 2, amr: ["pwd", "sms"] } });
    });

    it("refuses, in the API too, a method the list does not name", async () => {
      const { client, email } = await newUser(h);
      await client.post("/logout");
      const signingIn = h.client();
      const login = await signingIn.post<{ state: string }>("/login", {
        identity: email,
        password: PASSWORD,
      });
      // The answer says what may be enrolled: the methods listed, in the registry's order.
      expect(login.body).toMatchObject({ setupRequired: true, setupMethods: ["sms", "email"] });
      const totp = await signingIn.post("/tf-setup", { state: login.body.state, method: "totp" });
      expect(errorCode(totp)).toBe("TWO_FACTOR_METHOD_NOT_AVAILABLE");
    });

    it("never offers, nor accepts, the mailbox that proved the first step", async () => {
      const { client, email } = await newUser(h);
      await client.post("/logout");
      const signingIn = h.client();
      const mailsBefore = mailer.sent.length;
      const started = await signingIn.post<{ state: string }>("/code-signin", {
        identity: email,
        channel: "email",
      });
      expect(started.status, JSON.stringify(started.body)).toBe(200);
      // The code leaves after the answer (sign-up's own mails to the address came before it).
      while (!mailer.sent.slice(mailsBefore).some((m) => m.to === email))
        await new Promise((r) => setTimeout(r, 10));
      const pending = await signingIn.post<{ state: string; setupRequired?: boolean }>(
        "/code-signin-validate",
        { state: started.body.state, code: mailer.lastCode(email) },
      );
      expect(pending.body).toMatchObject({
        twoFactorRequired: true,
        setupRequired: true,
        setupMethods: ["sms"],
      });

      const page = await signingIn.request<string>("GET", "/tf-select", undefined, {
        accept: "text/html",
      });
      expect(setupOffers(page.body)).toEqual(["sms"]);
      const again = await signingIn.post("/tf-setup", {
        state: pending.body.state,
        method: "email",
      });
      expect(errorCode(again)).toBe("TWO_FACTOR_METHOD_NOT_AVAILABLE");
    });
  });

  describe("with only security keys listed", () => {
    const h = useHarness(target, { twoFactor: { required: true, methods: ["webauthn"] } });

    it("offers a security key, run by the browser script with the pending state", async () => {
      const { b, enrol } = await heldBackSignIn(h);
      expect(setupOffers(enrol.text)).toEqual([]);
      expect(enrol.text).not.toContain("authenticator app");
      expect(enrol.text).not.toContain("none can be set up while signing in");
      const held = b.cookies.get(new Cookies(h.auth.config).name("pending"));
      expect(held).toBeTruthy();
      const button = /<button[^>]*data-kw-action="enrol-key"[^>]*>([^<]*)</.exec(enrol.text);
      expect(button?.[1]).toBe("Use a security key");
      expect(button?.[0]).toContain(`data-kw-state="${held}"`);
      // Without the script, the page says what the key needs.
      expect(enrol.text).toContain('data-kw-unless="webauthn"');
      expect(enrol.text).toContain("needs JavaScript");
    });
  });

  describe("with the default list", () => {
    const h = useHarness(target, { twoFactor: { required: true } });

    it("offers a security key, then each method set up with a code, the authenticator app first", async () => {
      const { enrol } = await heldBackSignIn(h);
      expect(enrol.text).toContain('data-kw-action="enrol-key"');
      expect(setupOffers(enrol.text)).toEqual(
        h.auth.config.twoFactor.methods.filter((m) => m !== "webauthn"),
      );
      expect(setupOffers(enrol.text)[0]).toBe("totp");
    });
  });
});
