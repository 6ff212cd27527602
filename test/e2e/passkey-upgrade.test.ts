import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlite } from "../helpers/databases.js";
import { useHarness } from "../helpers/harness.js";
import {
  chromiumAvailable,
  launchChromium,
  openPage,
  PLATFORM,
  VirtualAuthenticator,
} from "./browser.js";

/**
 * The automatic passkey upgrade in Chromium. Its CDP virtual authenticator reports
 * `conditionalCreate` but declines every conditional create (no password manager filled a
 * password), so this holds the script to the path a browser without a willing password
 * manager takes: it asks the server, the browser declines, the user sees nothing, and the
 * page works as before. The creation itself (UP=0) is tested on the server
 * (test/integration/passkey-upgrade.test.ts).
 */
describe.skipIf(!chromiumAvailable())("automatic passkey upgrade in Chromium", () => {
  let browser: Browser;
  let page: Page;

  const h = useHarness(sqlite, {
    pages: { home: "/auth/account" },
    webauthn: { passkeyUpgrade: true },
  });
  const url = (path: string) => `${h.origin}/auth${path}`;

  beforeAll(async () => {
    browser = await launchChromium();
    page = await openPage(browser);
    await page.goto(url("/login"));
    await VirtualAuthenticator.attach(page, PLATFORM);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("tries an upgrade after a password sign-up, says nothing when declined, and adding a key still works", async () => {
    await page.goto(url("/register"));
    await page.getByLabel("Email").fill("upgrade@example.com");
    await page.getByLabel("Password").fill("correct horse battery");
    const upgradeAsked = page.waitForResponse((response) =>
      response.url().endsWith("/auth/wan-upgrade"),
    );
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/\/auth\/account\?done=welcome$/);
    // The server offered the upgrade to this session, and the script asked for its options.
    expect((await upgradeAsked).status()).toBe(200);
    await expect
      .poll(() => page.evaluate(() => sessionStorage.getItem("keyward.passkeyUpgradeTried")))
      .toBe("1");
    // Declined by the browser: no error, no key.
    await expect(page.locator("#kw-error").textContent()).resolves.toBe("");
    await expect(
      page.getByText("You have no passkeys or security keys yet.").count(),
    ).resolves.toBe(1);

    // The user's own ceremony is untouched by the quiet attempt.
    await page.getByLabel("Name", { exact: true }).fill("This laptop");
    await page.getByLabel("On this device").check();
    await page.getByRole("button", { name: "Add key" }).click();
    await page.waitForURL(/\/auth\/account\?done=key-added$/);
    const text = await page.locator(".kw-key").textContent();
    expect(text).toContain("This laptop");
    expect(text).not.toContain("Added by");
  });
});
