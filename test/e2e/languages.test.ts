import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shippedLanguages } from "../../src/i18n/languages.js";
import { Language } from "../../src/i18n/translator.js";
import { sqlite } from "../helpers/databases.js";
import { useHarness } from "../helpers/harness.js";
import { chromiumAvailable, launchChromium, openPage } from "./browser.js";

/**
 * A browser set to German (its Accept-Language is de-DE) gets the sign-in page in German, and
 * the browser script's messages in German too: a cancelled passkey ceremony says so in German.
 */
describe.skipIf(!chromiumAvailable())("the pages in the browser's language", () => {
  const german = new Language("de", shippedLanguages.de);
  let browser: Browser;
  let page: Page;
  const h = useHarness(sqlite);
  const url = (path: string) => `${h.origin}/auth${path}`;

  beforeAll(async () => {
    browser = await launchChromium();
    page = await openPage(browser, { locale: "de-DE" });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("shows a German sign-in page and a German message when the ceremony is cancelled", async () => {
    await page.goto(url("/login"));
    await expect(page.locator("html").getAttribute("lang")).resolves.toBe("de");
    await expect(page.locator("h1").textContent()).resolves.toBe(german.t("login.title"));

    // What the browser answers when the person dismisses its passkey dialog.
    await page.evaluate(() => {
      const original = navigator.credentials.get.bind(navigator.credentials);
      navigator.credentials.get = async () => {
        navigator.credentials.get = original;
        throw new DOMException(
          "The operation either timed out or was not allowed.",
          "NotAllowedError",
        );
      };
    });
    await page.getByRole("button", { name: german.t("login.passkey") }).click();
    await expect
      .poll(() => page.locator("#kw-error").textContent(), { timeout: 5_000 })
      .toBe(german.t("client.cancelled"));
    const response = await page.request.get(url("/me"));
    expect(response.status()).toBe(401);
  });
});
