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
  USB_KEY,
  VirtualAuthenticator,
} from "./browser.js";

/**
 * A USB security key without user verification, as the second factor after a password: add it,
 * sign in with password then key (AAL2), and the failures on the way (key unplugged, adding
 * cancelled), each with a clear message and nothing changed; then delete it.
 */
describe.skipIf(!chromiumAvailable())("a USB security key as second factor", () => {
  let browser: Browser;
  let page: Page;
  let usb: VirtualAuthenticator;

  const url = (path: string) => `${h.origin}/auth${path}`;
  const me = async () => {
    const response = await page.request.get(url("/me"));
    return { status: response.status(), body: (await response.json()) as MeBody };
  };
  const errorText = () => page.locator("#kw-error").textContent();
  const keyCount = () => page.locator(".kw-key").count();
  const signInWithPassword = async () => {
    await page.goto(url("/login"));
    await page.getByLabel("Email or username").fill("sam@example.com");
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Sign in with password" }).click();
  };
  const signOut = async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/auth\/login\?done=signed-out$/);
  };
  /** Password, then the key (AAL2), as adding another key needs once the account has one. */
  const signInWithPasswordAndKey = async () => {
    await signOut();
    await signInWithPassword();
    await page.waitForURL(url("/tf-select"));
    await page.getByRole("button", { name: "Use my security key" }).click();
    await page.waitForURL(url("/account"));
  };

  const h = useHarness(sqlite, {
    pages: { home: "/auth/account" },
    webauthn: { signinTimeout: 4000, registerTimeout: 4000 },
  });
  beforeAll(async () => {
    browser = await launchChromium();
    page = await openPage(browser);
    await page.goto(url("/register"));
    usb = await VirtualAuthenticator.attach(page, USB_KEY);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("adds a USB security key as second factor after signing up with a password", async () => {
    await page.getByLabel("Email").fill("sam@example.com");
    await page.getByLabel("Username").fill("sam");
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/\/auth\/account\?done=welcome$/);

    // No platform authenticator here: the "where is the key" choice is not offered.
    await expect(page.getByText("Where is the key?").isVisible()).resolves.toBe(false);
    await page.getByLabel("Name", { exact: true }).fill("Blue key");
    await page.getByLabel("Confirm it's me after my password (second factor)").check();
    await page.getByRole("button", { name: "Add key" }).click();
    // The first second factor brings recovery codes, shown once before going on (#18).
    await page.getByRole("link", { name: "I've saved them" }).click();
    await page.waitForURL(/done=key-added$/);

    const text = await page.locator(".kw-key").textContent();
    expect(text).toContain("Blue key");
    expect(text).toContain("Second factor");
    expect(text).toContain("This device only");
    expect(text).toContain("Security key");
    await expect(page.locator("#kw-tf-h + p").textContent()).resolves.toContain("a security key");
    await expect(usb.credentials()).resolves.toMatchObject([{ isResidentCredential: false }]);
    await screenshot(page, "account-security-key");
  });

  it("changes nothing when adding another key is cancelled", async () => {
    await signInWithPasswordAndKey();
    await page.evaluate(() => {
      const original = navigator.credentials.create.bind(navigator.credentials);
      navigator.credentials.create = async () => {
        navigator.credentials.create = original;
        throw new DOMException(
          "The operation either timed out or was not allowed.",
          "NotAllowedError",
        );
      };
    });
    await page.getByLabel("Name", { exact: true }).fill("Spare key");
    await page.getByRole("button", { name: "Add key" }).click();
    await expect.poll(errorText, { timeout: 5_000 }).toMatch(/cancelled/);
    await expect(keyCount()).resolves.toBe(1);
    await page.reload();
    await expect(keyCount()).resolves.toBe(1);
  });

  it("signs in with the password, then the security key as second factor (AAL2)", async () => {
    await signOut();
    await signInWithPassword();
    await page.waitForURL(url("/tf-select"));
    expect((await me()).status).toBe(401);
    await screenshot(page, "second-factor");
    await page.getByRole("button", { name: "Use my security key" }).click();
    await page.waitForURL(url("/account"));
    const { body } = await me();
    expect(body.session).toMatchObject({ aal: 2, uv: false });
    expect(body.session.amr).toEqual(expect.arrayContaining(["pwd", "hwk"]));
  });

  it("says no key answered when the key is unplugged, and keeps waiting for the second factor", async () => {
    await signOut();
    await signInWithPassword();
    await page.waitForURL(url("/tf-select"));
    await usb.whileUnplugged(async () => {
      await page.getByRole("button", { name: "Use my security key" }).click();
      await expect.poll(errorText, { timeout: 10_000 }).toMatch(/No key answered in time/);
    });
    expect(page.url()).toBe(url("/tf-select"));
    expect((await me()).status).toBe(401);
    await screenshot(page, "second-factor-error");
    // Plugged back in, the same pending sign-in completes.
    await page.getByRole("button", { name: "Use my security key" }).click();
    await page.waitForURL(url("/account"));
    expect((await me()).body.session).toMatchObject({ aal: 2 });
  });

  it("deletes the security key after confirming; two-step verification is then off", async () => {
    let asked = "";
    page.once("dialog", (dialog) => {
      asked = dialog.message();
      void dialog.accept();
    });
    await page.getByRole("button", { name: "Delete Blue key" }).click();
    // The key earned this session (password, then the key), so deleting it signs out too.
    await page.waitForURL(/\/auth\/login\?done=key-deleted-signed-out$/);
    expect(asked).toContain("Delete Blue key?");
    await expect(page.locator("#kw-notice").textContent()).resolves.toContain("Key deleted.");
    expect((await me()).status).toBe(401);

    // The password alone now signs in: no second step is asked for.
    await signInWithPassword();
    await page.waitForURL(url("/account"));
    expect((await me()).body.session).toMatchObject({ aal: 1, amr: ["pwd"] });
    await expect(keyCount()).resolves.toBe(0);
    await expect(page.locator("#kw-tf-h + p").textContent()).resolves.toContain("Off");
  });
});
