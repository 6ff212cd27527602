import { describe, expect, it } from "vitest";
import { PASSWORD, uniqueEmail } from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { FormBrowser } from "../helpers/form-browser.js";
import { useHarness } from "../helpers/harness.js";
import { Mailbox, tokenOf } from "../helpers/mailbox.js";
import { enrolTotp } from "../helpers/two-factor.js";

const targets = await databaseTargets();

const errorOf = (text: string) => /id="kw-error"[^>]*>([^<]*)</.exec(text)?.[1];
const noticeOf = (text: string) => /id="kw-notice"[^>]*>([^<]*)</.exec(text)?.[1];
const path = (link: string) => {
  const url = new URL(link);
  return `${url.pathname}${url.search}`;
};

describe.each(targets)("account lifecycle pages on $name", (target) => {
  const box = new Mailbox();
  const h = useHarness(target, {
    mailer: box,
    accounts: { allowPasswordless: true },
    rateLimits: { accountMailsPerIp: 10_000 },
    pages: { home: "/app" },
  });

  async function signedUp(fields: Record<string, string> = {}) {
    const b = new FormBrowser(h);
    const email = uniqueEmail("page");
    const created = await b.submit("/auth/register", "/auth/register", { email, ...fields });
    expect(created.status, created.text.slice(0, 300)).toBe(303);
    return { b, email };
  }

  it("links sign-in to the reset and recovery pages, and the account page to the others", async () => {
    const login = await new FormBrowser(h).get("/auth/login");
    expect(login.text).toContain('<a href="/auth/reset-password">Forgot your password?</a>');
    expect(login.text).toContain('<a href="/auth/recover-account">Lost your passkey?</a>');

    const { b, email } = await signedUp({ password: PASSWORD });
    const account = await b.get("/auth/account");
    expect(account.text).toContain(email);
    for (const [href, text] of [
      ["/auth/change-email", "Change email"],
      ["/auth/change-password", "Change password"],
      ["/auth/account/sessions", "See where you&#39;re signed in"],
    ] as const) {
      expect(account.text).toContain(`href="${href}">${text}</a>`);
      expect((await b.get(href)).status).toBe(200);
    }
    const passkeyOnly = await signedUp();
    const offer = await passkeyOnly.b.get("/auth/account");
    expect(offer.text).toContain('href="/auth/change-password">Set a password</a>');
  });

  it("shows a lifecycle form again when its CSRF token is refused, not the JSON error", async () => {
    const b = new FormBrowser(h);
    await b.get("/auth/reset-password");
    const refused = await b.request("POST", "/auth/reset-password", {
      body: new URLSearchParams({ csrfToken: "forged", email: "someone@example.com" }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(errorOf(refused.text)).toBe("This form expired. Please try again.");
    expect(refused.text).toContain('action="/auth/reset-password"');
  });

  it("resets a password through the pages, and a link only shows a form until it is posted", async () => {
    const { email } = await signedUp({ password: PASSWORD });
    const b = new FormBrowser(h);
    const form = await b.get("/auth/reset-password");
    expect(form.status).toBe(200);
    expect(form.text).toContain('action="/auth/reset-password"');

    const mark = box.mark();
    const asked = await b.submit("/auth/reset-password", "/auth/reset-password", { email });
    expect(asked.status).toBe(303);
    expect(asked.headers.get("location")).toBe("/auth/reset-password?sent=1");
    expect(noticeOf((await b.get("/auth/reset-password?sent=1")).text)).toMatch(
      /link is on its way/,
    );

    const link = (await box.next(email, "reset-password", mark)).link!;
    // Opening the link (twice, as a mail scanner might) spends nothing.
    await b.get(path(link));
    const landing = await b.get(path(link));
    expect(landing.status).toBe(200);
    expect(landing.headers.get("referrer-policy")).toBe("no-referrer");
    expect(landing.text).toContain(`name="token" value="${tokenOf({ link } as never)}"`);

    const short = await b.submit(path(link), "/auth/reset-password/complete", {
      token: new URL(link).searchParams.get("token")!,
      password: "short",
    });
    expect(short.status).toBe(400);
    expect(errorOf(short.text)).toMatch(/at least/);
    expect(short.text).toContain('action="/auth/reset-password/complete"');

    const done = await b.submit(path(link), "/auth/reset-password/complete", {
      token: new URL(link).searchParams.get("token")!,
      password: "a brand new passphrase",
    });
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe("/app");
    expect(b.cookies.get("keyward_session")).toBeDefined();

    const spent = await b.get(path(link));
    expect(errorOf(spent.text)).toMatch(/not valid or was already used/);
  });

  it("recovers a passkey-only account to the add-a-key page, which is all the session can open", async () => {
    const { email } = await signedUp();
    const b = new FormBrowser(h);
    const mark = box.mark();
    const asked = await b.submit("/auth/recover-account", "/auth/recover-account", { email });
    expect(asked.headers.get("location")).toBe("/auth/recover-account?sent=1");
    const link = (await box.next(email, "recover-account", mark)).link!;
    const landing = await b.get(path(link));
    expect(landing.status).toBe(200);
    expect(landing.text).not.toContain('name="recoveryCode"');

    const token = new URL(link).searchParams.get("token")!;
    const done = await b.submit(path(link), "/auth/recover-account/complete", { token });
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe("/auth/recover-account/key");
    const keyPage = await b.get("/auth/recover-account/key");
    expect(keyPage.status).toBe(200);
    expect(keyPage.text).toContain('data-kw-form="add-key"');
    // Once the key is added, the script goes to sign in with it (the session can do no more).
    expect(keyPage.text).toContain('data-kw-next="/auth/login?done=recovered"');
    expect(noticeOf((await b.get("/auth/login?done=recovered")).text)).toBe(
      "Your new key is added. Sign in with it to use your account.",
    );
    // The account page (and everything else) is not for a recovery session.
    const account = await b.get("/auth/account");
    expect(account.status).toBe(303);
    expect(account.headers.get("location")).toMatch(/^\/auth\/login/);
  });

  it("asks a two-factor account for a recovery code on the recovery page", async () => {
    const { b: owner, email } = await signedUp();
    // Confirmed: an unconfirmed account's recovery codes are not asked for (they go with it).
    const confirm = tokenOf(await box.next(email, "confirm-email"));
    expect((await h.client().post("/confirm-email", { token: confirm })).status).toBe(200);
    const client = h.client();
    client.cookies.set("keyward_session", owner.cookies.get("keyward_session")!);
    await enrolTotp(h, client);
    const b = new FormBrowser(h);
    const mark = box.mark();
    await b.submit("/auth/recover-account", "/auth/recover-account", { email });
    const link = (await box.next(email, "recover-account", mark)).link!;
    const landing = await b.get(path(link));
    expect(landing.text).toContain('name="recoveryCode"');
    const wrong = await b.submit(path(link), "/auth/recover-account/complete", {
      token: new URL(link).searchParams.get("token")!,
      recoveryCode: "AAAA-BBBB-CCCC-DDDD",
    });
    expect(wrong.status).toBe(400);
    expect(errorOf(wrong.text)).toMatch(/recovery code isn&#39;t right/);
    expect(wrong.text).toContain('name="recoveryCode"');
  });

  it("confirms an email from its link page", async () => {
    const { b, email } = await signedUp({ password: PASSWORD });
    const link = (await box.next(email, "confirm-email")).link!;
    const landing = await b.get(path(link));
    expect(landing.text).toContain('action="/auth/confirm-email"');
    const done = await b.submit(path(link), "/auth/confirm-email", {
      token: new URL(link).searchParams.get("token")!,
    });
    expect(done.headers.get("location")).toBe("/auth/confirm-email?confirmed=1");
    expect(noticeOf((await b.get("/auth/confirm-email?confirmed=1")).text)).toMatch(/confirmed/);
    const again = await b.submit(path(link), "/auth/confirm-email", {
      token: new URL(link).searchParams.get("token")!,
    });
    expect(again.status).toBe(400);
    expect(errorOf(again.text)).toMatch(/not valid or was already used/);
  });

  it("changes the password and lists, revokes and ends sessions from the pages", async () => {
    const { b, email } = await signedUp({ password: PASSWORD });
    const other = new FormBrowser(h);
    await other.submit("/auth/login", "/auth/login", { identity: email, password: PASSWORD });

    const sessions = await b.get("/auth/account/sessions");
    expect(sessions.status).toBe(200);
    expect(sessions.text.match(/name="id" value="/g)).toHaveLength(1); // not the current one
    const id = /name="id" value="([^"]+)"/.exec(sessions.text)![1]!;
    const revoked = await b.submit("/auth/account/sessions", "/auth/sessions/revoke", { id });
    expect(revoked.headers.get("location")).toBe("/auth/account/sessions?revoked=1");
    expect((await other.get("/auth/account/sessions")).status).toBe(303);

    const wrong = await b.submit("/auth/change-password", "/auth/change-password", {
      currentPassword: "not it at all",
      newPassword: "a brand new passphrase",
    });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('action="/auth/change-password"');
    const changed = await b.submit("/auth/change-password", "/auth/change-password", {
      currentPassword: PASSWORD,
      newPassword: "a brand new passphrase",
    });
    expect(changed.headers.get("location")).toBe("/auth/change-password?changed=1");

    const out = await b.submit("/auth/account/sessions", "/auth/sign-out-everywhere", {});
    expect(out.headers.get("location")).toBe("/auth/login?done=signed-out");
    expect((await b.get("/auth/account/sessions")).status).toBe(303);
  });

  it("sends a new email's link to sign-in first, then confirms it there", async () => {
    const { b, email } = await signedUp({ password: PASSWORD });
    const newEmail = uniqueEmail("page-moved");
    const mark = box.mark();
    const asked = await b.submit("/auth/change-email", "/auth/change-email", { newEmail });
    expect(asked.headers.get("location")).toBe("/auth/change-email?sent=1");
    const link = (await box.next(newEmail, "change-email", mark)).link!;

    const elsewhere = await new FormBrowser(h).get(path(link));
    expect(elsewhere.status).toBe(303);
    expect(elsewhere.headers.get("location")).toBe(
      `/auth/login?next=${encodeURIComponent(path(link))}`,
    );
    const done = await b.submit(path(link), "/auth/change-email/complete", {
      token: new URL(link).searchParams.get("token")!,
    });
    expect(done.headers.get("location")).toBe("/auth/change-email?changed=1");
    expect((await h.store.users.byEmail(newEmail))?.email).toBe(newEmail);
    expect(await h.store.users.byEmail(email)).toBeUndefined();
  });
});

describe("the recovery page where keys are neither passkeys nor second factors", () => {
  const box = new Mailbox();
  const h = useHarness(targets[0]!, {
    mailer: box,
    // A passwordless account, recovering after passkeys were turned off (and keys were never
    // a second factor here).
    accounts: { allowPasswordless: true },
    webauthn: { allowAsFirstFactor: false },
    twoFactor: { methods: ["totp"] },
    pages: { home: "/app" },
  });

  it("offers no key the API would refuse, and points to the password reset instead", async () => {
    const b = new FormBrowser(h);
    const email = uniqueEmail("no-keys");
    await b.submit("/auth/register", "/auth/register", { email });
    const mark = box.mark();
    await b.submit("/auth/recover-account", "/auth/recover-account", { email });
    const link = (await box.next(email, "recover-account", mark)).link!;
    const token = new URL(link).searchParams.get("token")!;
    const done = await b.submit(path(link), "/auth/recover-account/complete", { token });
    expect(done.headers.get("location")).toBe("/auth/recover-account/key");

    const keyPage = await b.get("/auth/recover-account/key");
    expect(keyPage.status).toBe(200);
    expect(keyPage.text).not.toContain('data-kw-form="add-key"');
    expect(keyPage.text).not.toContain('name="usage"');
    expect(keyPage.text).toContain("This site does not use passkeys or security keys");
    expect(keyPage.text).toContain('href="/auth/reset-password"');
    // What the page no longer offers, the API refuses: neither usage registers here.
    for (const usage of ["first", "secondary"]) {
      const refused = await b.request("POST", "/auth/wan-register", {
        body: JSON.stringify({ usage }),
        headers: { "content-type": "application/json", accept: "application/json" },
      });
      expect(refused.status, refused.text).toBe(403);
      expect(JSON.parse(refused.text).error.code).toBe("WEBAUTHN_USAGE_NOT_ALLOWED");
    }
  });
});
