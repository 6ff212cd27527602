import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlite } from "../helpers/databases.js";
import { useHarness } from "../helpers/harness.js";
import { TestMailer } from "../helpers/two-factor.js";
import {
  chromiumAvailable,
  launchChromium,
  type MeBody,
  openPage,
  PLATFORM,
  screenshot,
  VirtualAuthenticator,
} from "./browser.js";

const EMAIL = "noor@example.com";
const PASSWORD = "correct horse battery";
const DAY_SECONDS = 86_400;

/** Codes leave after the answer: waits for the `count`th code mailed to EMAIL. */
async function mailedCode(mailer: TestMailer, count: number): Promise<string> {
  const codes = () => mailer.sent.filter((m) => m.to === EMAIL && /code is \d{6}/.test(m.text));
  await expect.poll(() => codes().length, { timeout: 5_000 }).toBeGreaterThanOrEqual(count);
  return /code is (\d{6})/.exec(codes()[count - 1]!.text)![1]!;
}

/**
 * Signing in with an emailed code through the pages, without JavaScript (every step a plain
 * form), and "Remember me": an unticked box gives a cookie that ends with the browser.
 */
describe.skipIf(!chromiumAvailable())("sign-in code and remember me pages", () => {
  let browser: Browser;
  let page: Page;
  const mailer = new TestMailer();
  const h = useHarness(sqlite, {
    mailer,
    signIn: { codes: ["email"] },
    pages: { home: "/auth/account" },
  });
  const url = (path: string) => `${h.origin}/auth${path}`;
  const me = async () => {
    const response = await page.request.get(url("/me"));
    return { status: response.status(), body: (await response.json()) as MeBody };
  };
  const sessionCookie = async () =>
    (await page.context().cookies()).find((cookie) => cookie.name === "keyward_session");
  const signOut = async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/auth\/login\?done=signed-out$/);
  };

  beforeAll(async () => {
    browser = await launchChromium();
    page = await openPage(browser, { javaScriptEnabled: false });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("signs up, then signs in with an emailed code: a wrong one refused, the right one accepted", async () => {
    await page.goto(url("/register"));
    await page.getByLabel("Email").fill(EMAIL);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/\/auth\/account\?done=welcome$/);
    await signOut();
    // Noor confirmed the address: an emailed code on an unconfirmed account would remove
    // the password set before it (an unconfirmed holder's, as far as anyone knows).
    const noor = await h.store.users.byEmail(EMAIL);
    await h.store.users.confirmEmail(noor!.id, EMAIL, h.clock.now());

    await page.getByLabel("Email or username").fill(EMAIL);
    await page.getByRole("button", { name: "Email me a sign-in code" }).click();
    await page.waitForURL(url("/code-signin?channel=email"));
    await expect(page.getByText("we sent a code to its email address").isVisible()).resolves.toBe(
      true,
    );
    await screenshot(page, "code-signin");
    const code = await mailedCode(mailer, 1);

    const wrong = code.replace(/.$/, (d) => String((Number(d) + 5) % 10));
    await page.getByLabel("Code", { exact: true }).fill(wrong);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect
      .poll(() => page.locator("#kw-error").textContent(), { timeout: 5_000 })
      .toMatch(/not right or no longer valid/);

    await page.getByLabel("Code", { exact: true }).fill(code);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(url("/account"));
    const signedIn = await me();
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.session).toMatchObject({ aal: 1, amr: ["email"] });
    // "Remember me" was left unticked: the cookie ends with the browser.
    expect((await sessionCookie())?.expires).toBe(-1);
  });

  it("an unknown address gets the same code page, and no code", async () => {
    await signOut();
    const before = mailer.sent.length;
    await page.getByLabel("Email or username").fill("nobody-here@example.com");
    await page.getByRole("button", { name: "Email me a sign-in code" }).click();
    await page.waitForURL(url("/code-signin?channel=email"));
    await page.getByLabel("Code", { exact: true }).fill("123456");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect
      .poll(() => page.locator("#kw-error").textContent(), { timeout: 5_000 })
      .toMatch(/not right or no longer valid/);
    expect(mailer.sent.slice(before).filter((m) => m.to === "nobody-here@example.com")).toEqual([]);
  });

  it('"Remember me" ticked with the password gives the long session cookie', async () => {
    await page.goto(url("/login"));
    await page.getByLabel("Email or username").fill(EMAIL);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByLabel("Remember me on this browser").check();
    await page.getByRole("button", { name: "Sign in with password" }).click();
    await page.waitForURL(url("/account"));
    const cookie = await sessionCookie();
    expect(cookie?.expires).toBeGreaterThan(Date.now() / 1000 + 29 * DAY_SECONDS);
    await signOut();

    // Unticked, the same sign-in is a browser session.
    await page.getByLabel("Email or username").fill(EMAIL);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in with password" }).click();
    await page.waitForURL(url("/account"));
    expect((await sessionCookie())?.expires).toBe(-1);
    expect((await me()).body.session).toMatchObject({ amr: ["pwd"] });
  });
});

/** The passkey button reads the same box, through the browser script. */
describe.skipIf(!chromiumAvailable())("remember me with a passkey", () => {
  let browser: Browser;
  let page: Page;
  const h = useHarness(sqlite, { pages: { home: "/auth/account" } });
  const url = (path: string) => `${h.origin}/auth${path}`;
  const sessionCookie = async () =>
    (await page.context().cookies()).find((cookie) => cookie.name === "keyward_session");

  beforeAll(async () => {
    browser = await launchChromium();
    page = await openPage(browser);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("signs in with a passkey as a browser session, or remembered when ticked", async () => {
    const authenticator = await VirtualAuthenticator.attach(page, PLATFORM);
    await page.goto(url("/register"));
    await page.getByLabel("Email").fill("sam@example.com");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/\/auth\/account\?done=welcome$/);
    await page.getByLabel("Name", { exact: true }).fill("laptop");
    await page.getByLabel("On this device").check();
    await page.getByRole("button", { name: "Add key" }).click();
    await page.waitForURL(/done=key-added/);
    expect(await authenticator.credentials()).toHaveLength(1);

    for (const remember of [false, true]) {
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL(/\/auth\/login\?done=signed-out$/);
      if (remember) await page.getByLabel("Remember me on this browser").check();
      await page.getByRole("button", { name: "Sign in with a passkey" }).click();
      await page.waitForURL(url("/account"));
      const cookie = await sessionCookie();
      if (remember) expect(cookie?.expires).toBeGreaterThan(Date.now() / 1000 + 29 * DAY_SECONDS);
      else expect(cookie?.expires).toBe(-1);
    }
  });
});
