import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlite } from "../helpers/databases.js";
import { useHarness } from "../helpers/harness.js";
import { Mailbox, tokenOf } from "../helpers/mailbox.js";
import {
  chromiumAvailable,
  launchChromium,
  type MeBody,
  openPage,
  PLATFORM,
  screenshot,
  VirtualAuthenticator,
} from "./browser.js";

/**
 * A passkey-only user who lost their device, in a real browser: from the sign-in page's "Lost
 * your passkey?" to a recovery link, a new passkey on this device, and back to the sign-in page
 * (the recovery session can do nothing else), which signs in with the new key. Then the
 * account page's links to the email, password and session pages.
 */
describe.skipIf(!chromiumAvailable())("account recovery in the browser", () => {
  let browser: Browser;
  let page: Page;
  let laptop: VirtualAuthenticator;
  const box = new Mailbox();
  const email = "lost@example.com";

  const url = (path: string) => `${h.origin}/auth${path}`;
  const notice = () => page.locator("#kw-notice").textContent();

  const h = useHarness(sqlite, {
    mailer: box,
    accounts: { allowPasswordless: true },
    pages: { home: "/auth/account" },
    webauthn: { signinTimeout: 4000, registerTimeout: 4000 },
  });
  beforeAll(async () => {
    // A passkey-only account whose passkey is gone with the old phone.
    const created = await h.client().post("/register", { email });
    expect(created.status).toBe(201);
    // Confirmed, so its sign-up session outlives the recovery (an unconfirmed one's would not).
    const confirm = tokenOf(await box.next(email, "confirm-email"));
    expect((await h.client().post("/confirm-email", { token: confirm })).status).toBe(200);
    browser = await launchChromium();
    page = await openPage(browser);
    await page.goto(url("/login"));
    laptop = await VirtualAuthenticator.attach(page, PLATFORM);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("recovers with an emailed link, adds a passkey, and ends on sign-in with a notice", async () => {
    await page.goto(url("/login"));
    await page.getByRole("link", { name: "Lost your passkey?" }).click();
    await page.waitForURL(url("/recover-account"));
    await screenshot(page, "recover-request");
    const mark = box.mark();
    await page.getByLabel("Email").fill(email);
    await page.getByRole("button", { name: "Send the link" }).click();
    await page.waitForURL(/\/auth\/recover-account\?sent=1$/);
    await expect(notice()).resolves.toMatch(/link is on its way/);

    const { link } = await box.next(email, "recover-account", mark);
    await page.goto(link!);
    await page.getByRole("button", { name: "Continue" }).click();
    await page.waitForURL(url("/recover-account/key"));
    // A key not bound to one device by default (WebauthnUtil's default for passkeys): whoever
    // lost a device is steered away from tying the account to the next one alone.
    await expect(page.getByLabel("A security key").isChecked()).resolves.toBe(true);
    await expect(page.getByLabel("On this device").isChecked()).resolves.toBe(false);
    await screenshot(page, "recover-key");
    // This user chooses the laptop in hand (the virtual authenticator is a platform one).
    await page.getByLabel("On this device").check();
    await page.getByLabel("Name", { exact: true }).fill("New laptop");
    await page.getByRole("button", { name: "Add passkey" }).click();

    await page.waitForURL(/\/auth\/login\?done=recovered$/);
    await expect(notice()).resolves.toBe(
      "Your new key is added. Sign in with it to use your account.",
    );
    await expect(laptop.credentials()).resolves.toHaveLength(1);
    await screenshot(page, "login-recovered");

    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await page.waitForURL(url("/account"));
    const me = await page.request.get(url("/me"));
    const body = (await me.json()) as MeBody;
    expect(body.user.email).toBe(email);
    expect(body.session.amr).not.toContain("email");
    await expect(page.locator(".kw-key-name").textContent()).resolves.toBe("New laptop");
  });

  it("links the account page to the email, password and session pages", async () => {
    await screenshot(page, "account-details");
    await page.getByRole("link", { name: "Set a password" }).click();
    await page.waitForURL(url("/change-password"));
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe(
      "Set a password",
    );
    await page.getByRole("link", { name: "Back to your account" }).click();
    await page.getByRole("link", { name: "Change email" }).click();
    await page.waitForURL(url("/change-email"));
    await page.getByRole("link", { name: "Back to your account" }).click();
    await page.getByRole("link", { name: "See where you're signed in" }).click();
    await page.waitForURL(url("/account/sessions"));
    // This browser and the sign-up's session; signing in with the key replaced the recovery one.
    await expect(page.locator(".kw-key").count()).resolves.toBe(2);
    await expect(page.getByText("This device", { exact: true }).count()).resolves.toBe(1);
    await expect(page.getByText("Recovery session").count()).resolves.toBe(0);
    await screenshot(page, "sessions");
  });
});
