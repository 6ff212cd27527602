import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PushApproval } from "../helpers/app-factors.js";
import { sqlite } from "../helpers/databases.js";
import { useHarness } from "../helpers/harness.js";
import { newUser } from "../helpers/two-factor.js";
import { chromiumAvailable, launchChromium, openPage } from "./browser.js";

/**
 * An app's own approval factor through the pages with the browser script: the waiting page
 * asks the server by itself and goes on once the phone approves, with no click.
 */
describe.skipIf(!chromiumAvailable())("an app's approval factor in the pages", () => {
  const push = new PushApproval();
  const h = useHarness(sqlite, { secondFactors: [push], pages: { home: "/auth/account" } });
  let browser: Browser;
  let page: Page;
  const url = (path: string) => `${h.origin}/auth${path}`;

  beforeAll(async () => {
    browser = await launchChromium();
    page = await openPage(browser);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("waits for the approval on its own, then signs in", async () => {
    const { email, userId } = await newUser(h);
    push.phones.add(userId);
    await page.goto(url("/login"));
    await page.getByLabel("Email or username").fill(email);
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Sign in with password" }).click();
    await page.waitForURL(url("/tf-select"));
    await page.getByRole("button", { name: "Approve on your phone" }).click();
    await page.waitForURL(url("/tf-validate?method=push"));
    await expect(
      page.getByRole("button", { name: "I approved it, continue" }).isVisible(),
    ).resolves.toBe(true);
    // The page is polling: once the phone says yes it goes on without a click.
    await expect.poll(() => push.pushed.some((p) => p.userId === userId)).toBe(true);
    push.answer(userId, "approved");
    await page.waitForURL(url("/account"), { timeout: 10_000 });
    await expect(page.getByText("password and Approve on your phone").count()).resolves.toBe(1);
  });
});
