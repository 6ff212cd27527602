import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemo } from "../../examples/demo/server.js";
import { TEST_SECRET } from "../helpers/harness.js";
import {
  chromiumAvailable,
  launchChromium,
  openPage,
  PLATFORM,
  screenshot,
  VirtualAuthenticator,
} from "./browser.js";

/**
 * The demo app (npm start) on the default pages: a passwordless account made with a passkey,
 * and the app's own page guarded by auth.require().
 */
describe.skipIf(!chromiumAvailable())("the demo app", () => {
  let demo: Awaited<ReturnType<typeof startDemo>>;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    demo = await startDemo({ port: 0, database: "sqlite::memory:", secret: TEST_SECRET });
    browser = await launchChromium();
    page = await openPage(browser);
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  it("sends a signed-out visitor from the guarded page to sign in", async () => {
    await page.goto(demo.origin);
    await screenshot(page, "demo-home");
    await page.goto(`${demo.origin}/account`);
    await page.waitForURL(/\/auth\/login\?next=%2Faccount$/);
  });

  it("makes a passwordless account with a synced passkey and signs back in with it", async () => {
    // A synced passkey (backed up by its provider), as password managers make them.
    await VirtualAuthenticator.attach(page, {
      ...PLATFORM,
      defaultBackupEligibility: true,
      defaultBackupState: true,
    });
    await page.goto(`${demo.origin}/auth/register`);
    await page.getByLabel("Email").fill("demo@example.com");
    await page.getByRole("button", { name: "Create account" }).click();
    // Without a password, sign-up goes straight on to the passkey (#18).
    await page.waitForURL(/\/auth\/register\/passkey$/);
    await page.getByLabel("Name", { exact: true }).fill("Demo laptop");
    await page.getByLabel("On this device").check();
    await page.getByRole("button", { name: "Add passkey" }).click();
    await page.waitForURL(/done=passkey-added$/);
    await expect(page.locator(".kw-key .kw-badge--synced").textContent()).resolves.toBe("Synced");
    await screenshot(page, "demo-synced-passkey");

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/done=signed-out$/);
    await page.goto(`${demo.origin}/account`);
    await page.waitForURL(/\/auth\/login\?next=/);
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await page.waitForURL(`${demo.origin}/account`);
    const text = await page.locator("main").textContent();
    expect(text).toContain("demo@example.com");
    expect(text).toContain("AAL2");
    await screenshot(page, "demo-account");
  });
});
