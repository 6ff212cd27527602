import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlite } from "../helpers/databases.js";
import { useHarness } from "../helpers/harness.js";
import {
  chromiumAvailable,
  launchChromium,
  type MeBody,
  openPage,
  screenshot,
  totp,
} from "./browser.js";

/**
 * Two-step verification through the pages, in a browser with JavaScript turned off: every step
 * is a plain form. Authenticator-app setup (QR code, a code computed here), recovery codes
 * shown once, sign-in with an app code and with a recovery code, new codes, turning it off.
 */
describe.skipIf(!chromiumAvailable())("two-step verification pages without JavaScript", () => {
  let browser: Browser;
  let page: Page;
  let secret = "";
  let codes: string[] = [];

  const url = (path: string) => `${h.origin}/auth${path}`;
  const me = async () => {
    const response = await page.request.get(url("/me"));
    return { status: response.status(), body: (await response.json()) as MeBody };
  };
  const errorText = () => page.locator("#kw-error").textContent();
  const twoStepStatus = () => page.locator("#kw-tf-h + p").textContent();
  /** A code that is not the current one (nor, in practice, its neighbours). */
  const wrong = (code: string) => code.replace(/.$/, (d) => String((Number(d) + 5) % 10));
  const signInWithPassword = async () => {
    await page.goto(url("/login"));
    await page.getByLabel("Email or username").fill("kim@example.com");
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Sign in with password" }).click();
    await page.waitForURL(url("/tf-select"));
  };
  const signOut = async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/auth\/login\?done=signed-out$/);
  };

  const h = useHarness(sqlite, { pages: { home: "/auth/account" } });
  beforeAll(async () => {
    browser = await launchChromium();
    page = await openPage(browser, { javaScriptEnabled: false });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("signs up and hides what needs JavaScript", async () => {
    await page.goto(url("/register"));
    await page.getByLabel("Email").fill("kim@example.com");
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/\/auth\/account\?done=welcome$/);
    await expect(page.getByText("Adding a key needs JavaScript").isVisible()).resolves.toBe(true);
    await expect(page.getByRole("button", { name: "Add key" }).isVisible()).resolves.toBe(false);
    await expect(twoStepStatus()).resolves.toContain("Off");
  });

  it("sets up an authenticator app: QR code, a wrong code refused, the right code accepted", async () => {
    await page.getByRole("button", { name: "Set up an authenticator app" }).click();
    await page.waitForURL(url("/tf-setup"));
    await expect(page.locator(".kw-qr svg").count()).resolves.toBe(1);
    secret = ((await page.locator("[data-kw-secret]").textContent()) ?? "").replace(/\s/g, "");
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await screenshot(page, "totp-setup");

    await page.getByLabel("Code", { exact: true }).fill(wrong(totp(secret, h.clock.now())));
    await page.getByRole("button", { name: "Turn on" }).click();
    await expect.poll(errorText, { timeout: 5_000 }).toMatch(/isn't right/);
    // The same setup is shown again: the app already scanned keeps working.
    const again = ((await page.locator("[data-kw-secret]").textContent()) ?? "").replace(/\s/g, "");
    expect(again).toBe(secret);
    await screenshot(page, "totp-setup-error");

    await page.getByLabel("Code", { exact: true }).fill(totp(secret, h.clock.now()));
    await page.getByRole("button", { name: "Turn on" }).click();
    await expect(page.getByRole("heading", { name: "Your recovery codes" }).count()).resolves.toBe(
      1,
    );
  });

  it("shows the recovery codes once, with a download that needs no script", async () => {
    codes = await page.locator("[data-kw-codes] li").allTextContents();
    expect(codes.length).toBeGreaterThanOrEqual(8);
    const download = page.getByRole("link", { name: "Download as text" });
    const href = (await download.getAttribute("href")) ?? "";
    expect(href.startsWith("data:text/plain;charset=utf-8,")).toBe(true);
    expect(decodeURIComponent(href)).toContain(codes[0]!);
    await expect(download.getAttribute("download")).resolves.toMatch(/recovery-codes\.txt$/);
    // Copying needs the script; without it the button stays hidden.
    await expect(page.getByRole("button", { name: "Copy codes" }).isVisible()).resolves.toBe(false);
    await screenshot(page, "recovery-codes");

    await page.getByRole("link", { name: "I've saved them" }).click();
    await page.waitForURL(url("/account"));
    await expect(twoStepStatus()).resolves.toContain("an authenticator app");
    await expect(page.getByText(`Unused codes: ${codes.length}.`).count()).resolves.toBe(1);
    await screenshot(page, "account-two-step");
  });

  it("signs in with the password, then a code from the app (AAL2)", async () => {
    await signOut();
    await signInWithPassword();
    expect((await me()).status).toBe(401);
    await screenshot(page, "second-factor-choice");
    await page.getByRole("link", { name: "Enter a code from my authenticator app" }).click();
    await page.waitForURL(url("/tf-validate?method=totp"));
    await screenshot(page, "second-factor-code");

    h.clock.advance(30_000); // the setup spent this step's code: use the next one
    await page.getByLabel("Code", { exact: true }).fill(wrong(totp(secret, h.clock.now())));
    await page.getByRole("button", { name: "Verify" }).click();
    await expect.poll(errorText, { timeout: 5_000 }).toMatch(/isn't right/);
    expect((await me()).status).toBe(401);

    await page.getByLabel("Code", { exact: true }).fill(totp(secret, h.clock.now()));
    await page.getByRole("button", { name: "Verify" }).click();
    await page.waitForURL(url("/account"));
    const { body } = await me();
    expect(body.session).toMatchObject({ aal: 2 });
    expect(body.session.amr).toEqual(expect.arrayContaining(["pwd", "otp"]));
  });

  it("signs in with a recovery code, which then stops working", async () => {
    await signOut();
    await signInWithPassword();
    await page.getByRole("link", { name: "Use a recovery code" }).click();
    await page.waitForURL(url("/tf-validate?method=recovery"));
    await page.getByLabel("Code", { exact: true }).fill(codes[0]!);
    await page.getByRole("button", { name: "Verify" }).click();
    await page.waitForURL(url("/account"));
    expect((await me()).body.session.amr).toEqual(expect.arrayContaining(["pwd", "rc"]));
    await expect(page.getByText(`Unused codes: ${codes.length - 1}.`).count()).resolves.toBe(1);

    await signOut();
    await signInWithPassword();
    await page.getByRole("link", { name: "Use a recovery code" }).click();
    await page.getByLabel("Code", { exact: true }).fill(codes[0]!);
    await page.getByRole("button", { name: "Verify" }).click();
    await expect.poll(errorText, { timeout: 5_000 }).toMatch(/recovery code isn't right/);
    expect((await me()).status).toBe(401);
    await page.getByLabel("Code", { exact: true }).fill(codes[1]!);
    await page.getByRole("button", { name: "Verify" }).click();
    await page.waitForURL(url("/account"));
  });

  it("makes new recovery codes; the old ones stop working", async () => {
    await page.getByRole("button", { name: "Generate new recovery codes" }).click();
    await expect(page.getByRole("heading", { name: "Your recovery codes" }).count()).resolves.toBe(
      1,
    );
    const fresh = await page.locator("[data-kw-codes] li").allTextContents();
    expect(fresh).not.toContain(codes[2]);
    codes = fresh;
    await page.getByRole("link", { name: "I've saved them" }).click();
    await expect(page.getByText(`Unused codes: ${codes.length}.`).count()).resolves.toBe(1);
  });

  it("turns the authenticator app off", async () => {
    await page.getByRole("button", { name: "Turn off" }).click();
    // This session was earned with a recovery code, and those go with the last second factor:
    // turning the app off signs this browser out too.
    await page.waitForURL(/\/auth\/login\?done=factor-removed-signed-out$/);
    await expect(page.locator("#kw-notice").textContent()).resolves.toContain(
      "Second factor removed.",
    );
    expect((await me()).status).toBe(401);
    await page.getByLabel("Email or username").fill("kim@example.com");
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Sign in with password" }).click();
    await page.waitForURL(url("/account"));
    expect((await me()).body.session).toMatchObject({ aal: 1 });
    await expect(twoStepStatus()).resolves.toContain("Off");
  });
});
