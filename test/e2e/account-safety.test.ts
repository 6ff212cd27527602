import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlite } from "../helpers/databases.js";
import { type Harness, startHarness } from "../helpers/harness.js";
import {
  chromiumAvailable,
  launchChromium,
  openPage,
  PLATFORM,
  screenshot,
  USB_KEY,
  VirtualAuthenticator,
} from "./browser.js";

/**
 * Account safety as a person meets it (#18): a passwordless sign-up goes on to its passkey and
 * is told why; the page says in words how the account signs in; deleting the last way to sign
 * in takes a specific confirmation; the first second-factor key comes with recovery codes; a
 * platform key as the only second factor is warned about before it is added; deleting the only
 * second factor says that two-step verification goes with it.
 */
describe.skipIf(!chromiumAvailable())("account safety in the pages", () => {
  let h: Harness;
  let browser: Browser;

  const url = (path: string) => `${h.origin}/auth${path}`;
  const summary = (page: Page) => page.locator("[data-kw-sign-in]").textContent();

  beforeAll(async () => {
    h = await startHarness(sqlite, {
      pages: { home: "/auth/account" },
      accounts: { allowPasswordless: true },
      webauthn: { signinTimeout: 4000, registerTimeout: 4000 },
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it("takes a passwordless sign-up straight to its passkey, then refuses to delete it unconfirmed", async () => {
    const page = await openPage(browser);
    await page.goto(url("/register"));
    await VirtualAuthenticator.attach(page, PLATFORM);
    await page.getByLabel("Email").fill("nopass@example.com");
    await page.getByRole("button", { name: "Create account" }).click();

    await page.waitForURL(url("/register/passkey"));
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe(
      "Add your passkey",
    );
    await expect(page.locator("main").textContent()).resolves.toMatch(
      /no password, so a passkey is how you will sign in/,
    );
    // The seed's default for a passkey: a security key or another device, not this one.
    await expect(
      page.getByLabel("A security key (USB, NFC or Bluetooth)").isChecked(),
    ).resolves.toBe(true);
    await screenshot(page, "signup-passkey");
    await page.getByLabel("On this device").check();
    await page.getByRole("button", { name: "Add passkey" }).click();
    await page.waitForURL(/\/auth\/account\?done=passkey-added$/);
    await expect(summary(page)).resolves.toBe("You sign in with your passkey.");
    await expect(page.locator("main").textContent()).resolves.not.toMatch(
      /you sign in with passkeys/,
    );
    await screenshot(page, "account-passkey-only");

    // Deleting it asks for a specific confirmation: the form will not go without it.
    await page.getByRole("button", { name: "Delete Passkey" }).click();
    await expect(page.locator(".kw-key").count()).resolves.toBe(1);
    await expect(page.url()).toMatch(/done=passkey-added$/);
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.getByLabel(/I understand I will not be able to sign in/).check();
    await screenshot(page, "account-delete-last-passkey");
    await page.getByRole("button", { name: "Delete Passkey" }).click();
    await expect.poll(() => dialogs.length).toBe(1);
    expect(dialogs[0]).toMatch(/only way to sign in/);
    // Dismissed: nothing was deleted.
    await expect(page.locator(".kw-key").count()).resolves.toBe(1);
    await page.context().close();
  });

  it("tells a passwordless account without a passkey that it cannot sign in again", async () => {
    const page = await openPage(browser);
    await page.goto(url("/register"));
    await page.getByLabel("Email").fill("stranded@example.com");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(url("/register/passkey"));
    await page.goto(url("/account"));
    await expect(summary(page)).resolves.toMatch(/no way to sign in again/);
    await expect(page.locator("[data-kw-sign-in]").getAttribute("class")).resolves.toContain(
      "kw-alert--warn",
    );
    await screenshot(page, "account-no-sign-in");
    await page.context().close();
  });

  it("warns before a platform key becomes the only second factor", async () => {
    const page = await openPage(browser);
    await page.goto(url("/register"));
    await VirtualAuthenticator.attach(page, PLATFORM);
    await page.getByLabel("Email").fill("platform2fa@example.com");
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/\/auth\/account\?done=welcome$/);

    const warning = page.locator("[data-kw-warn='platform-second-factor']");
    await page.getByLabel("Confirm it's me after my password (second factor)").check();
    // A second factor's place is left to the browser: "this device" is not pre-selected.
    await expect(page.getByLabel("On this device").isChecked()).resolves.toBe(false);
    await expect(warning.isVisible()).resolves.toBe(false);
    await page.getByLabel("On this device").check();
    await expect(warning.isVisible()).resolves.toBe(true);
    await expect(warning.textContent()).resolves.toMatch(/lost with the device/);
    await screenshot(page, "account-platform-second-factor-warning");
    // Back to a passkey: its default returns and the warning goes.
    await page.getByLabel("Sign in without a password (passkey)").check();
    await expect(
      page.getByLabel("A security key (USB, NFC or Bluetooth)").isChecked(),
    ).resolves.toBe(true);
    await expect(warning.isVisible()).resolves.toBe(false);
    await page.context().close();
  });

  it("shows recovery codes with the first second-factor key, and says deleting it turns two-step off", async () => {
    const page = await openPage(browser);
    await page.goto(url("/register"));
    await VirtualAuthenticator.attach(page, USB_KEY);
    await page.getByLabel("Email").fill("usb2fa@example.com");
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/\/auth\/account\?done=welcome$/);
    await expect(summary(page)).resolves.toBe("You sign in with your password.");

    await page.getByLabel("Name", { exact: true }).fill("Blue key");
    await page.getByLabel("Confirm it's me after my password (second factor)").check();
    await page.getByRole("button", { name: "Add key" }).click();
    await expect
      .poll(() => page.locator("[data-kw-codes] li").count(), { timeout: 6_000 })
      .toBe(h.auth.config.twoFactor.recoveryCodes);
    const codes = await page.locator("[data-kw-codes] li").allTextContents();
    expect(codes[0]).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await screenshot(page, "account-first-key-recovery-codes");
    await page.getByRole("link", { name: "I've saved them" }).click();
    await page.waitForURL(/done=key-added$/);
    await expect(page.locator("main").textContent()).resolves.toMatch(/Unused codes: 10\./);

    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.getByRole("button", { name: "Delete Blue key" }).click();
    await expect.poll(() => dialogs.length).toBe(1);
    expect(dialogs[0]).toMatch(/only second factor: two-step verification will be turned off/);
    await expect(page.locator(".kw-key").count()).resolves.toBe(1);
    await page.context().close();
  });
});
