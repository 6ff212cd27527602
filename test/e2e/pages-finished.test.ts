import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlite } from "../helpers/databases.js";
import { useHarness } from "../helpers/harness.js";
import {
  chromiumAvailable,
  launchChromium,
  openPage,
  PHONE,
  PLATFORM,
  screenshot,
  USB_KEY,
  VirtualAuthenticator,
} from "./browser.js";

const PASSWORD = "correct horse battery";

/** Whether each recovery code in the list is laid out on one line (no wrap inside a code). */
function codesOnOneLine(page: Page): Promise<boolean[]> {
  return page.locator("[data-kw-codes] li").evaluateAll((items) =>
    items.map((item) => {
      const range = document.createRange();
      range.selectNodeContents(item);
      // One line box per code: a wrapped code has a rectangle per line.
      const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
      return lines.size === 1;
    }),
  );
}

/** Checks the codes on the page at phone and desktop widths, then restores the viewport. */
async function expectCodesUnwrapped(page: Page): Promise<void> {
  const original = page.viewportSize();
  for (const size of [PHONE, { width: 600, height: 800 }, { width: 1280, height: 800 }]) {
    await page.setViewportSize(size);
    const lines = await codesOnOneLine(page);
    expect(lines.length, `codes at ${size.width}px`).toBeGreaterThan(0);
    expect(lines, `codes at ${size.width}px`).not.toContain(false);
  }
  if (original) await page.setViewportSize(original);
}

/**
 * The pages, finished (#18 item 5), as a person meets them: how a session signed in, in words;
 * recovery codes that never wrap mid-code; an expired second step that goes back to sign in
 * with a message instead of failing again; what else to do when no passkey answers; and no
 * favicon request that ends in a 404.
 */
describe.skipIf(!chromiumAvailable())("the pages say what happened, in words", () => {
  let browser: Browser;
  const h = useHarness(sqlite, {
    pages: { home: "/auth/account" },
    // A key's own ceremony (5 minutes) can lapse while the pending sign-in lives on.
    twoFactor: { pendingWithin: "10m" },
    webauthn: { signinTimeout: 4000, registerTimeout: 4000, signinWithin: "5m" },
  });
  const url = (path: string) => `${h.origin}/auth${path}`;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** Signs up with a password and adds a USB key as the second factor; the page stays signed in. */
  async function withSecurityKey(email: string): Promise<{ page: Page; codes: string[] }> {
    const page = await openPage(browser);
    await page.goto(url("/register"));
    await VirtualAuthenticator.attach(page, USB_KEY);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/\/auth\/account\?done=welcome$/);
    await page.getByLabel("Name", { exact: true }).fill("Blue key");
    await page.getByLabel("Confirm it's me after my password (second factor)").check();
    await page.getByRole("button", { name: "Add key" }).click();
    await expect
      .poll(() => page.locator("[data-kw-codes] li").count(), { timeout: 6_000 })
      .toBe(h.auth.config.twoFactor.recoveryCodes);
    const codes = await page.locator("[data-kw-codes] li").allTextContents();
    return { page, codes };
  }

  async function signInWithPassword(page: Page, email: string): Promise<void> {
    await page.goto(url("/login"));
    await page.getByLabel("Email or username").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in with password" }).click();
    await page.waitForURL(url("/tf-select"));
  }

  async function signOut(page: Page): Promise<void> {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/auth\/login\?done=signed-out$/);
  }

  it("shows the recovery codes a first key brings whole, never wrapped mid-code", async () => {
    const { page, codes } = await withSecurityKey("codes@example.com");
    // The codes the first second-factor key brings, on the account page.
    expect(codes[0]).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    await expectCodesUnwrapped(page);
    await page.setViewportSize(PHONE);
    await screenshot(page, "finished-recovery-codes-with-key");
    await page.context().close();
  });

  it("says in words how each session signed in (account page, session list); new codes unwrapped", async () => {
    const email = "words@example.com";
    const { page } = await withSecurityKey(email);
    await page.getByRole("link", { name: "I've saved them" }).click();
    await page.waitForURL(/done=key-added$/);
    await signOut(page);

    await signInWithPassword(page, email);
    await page.getByRole("button", { name: "Use my security key" }).click();
    await page.waitForURL(url("/account"));
    const main = await page.locator("main").textContent();
    expect(main).toContain("This session: signed in with password and security key.");
    expect(main).not.toMatch(/\b(pwd|hwk|swk|mfa)\b/);
    await screenshot(page, "finished-account-signed-in-with");

    await page.getByRole("link", { name: "See where you're signed in" }).click();
    await page.waitForURL(url("/account/sessions"));
    const current = page.locator(".kw-key", { hasText: "This device" });
    await expect(current.locator("[data-kw-amr]").textContent()).resolves.toBe(
      "password and security key",
    );
    await expect(page.locator("main").textContent()).resolves.not.toMatch(/\b(pwd|hwk|mfa)\b/);
    await screenshot(page, "finished-sessions-signed-in-with");

    // New recovery codes (signed in with both factors, as a factor change needs): their own
    // page shows them whole too.
    await page.goto(url("/account"));
    page.on("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: "Generate new recovery codes" }).click();
    await page.getByRole("heading", { name: "Your recovery codes" }).waitFor();
    await expectCodesUnwrapped(page);
    await screenshot(page, "finished-recovery-codes-page");
    await page.context().close();
  });

  it("sends an expired second step back to sign in with a message, for a key and for a code", async () => {
    const email = "expired@example.com";
    const { page, codes } = await withSecurityKey(email);
    await page.getByRole("link", { name: "I've saved them" }).click();
    await page.waitForURL(/done=key-added$/);
    await signOut(page);
    const expire = () => h.clock.advance(h.auth.config.twoFactor.pendingWithin + 1_000);
    const expiredNotice = "That sign-in expired. Please sign in again.";

    // The security key: the page was open too long. Trying again would only fail again.
    await signInWithPassword(page, email);
    expire();
    await page.getByRole("button", { name: "Use my security key" }).click();
    await page.waitForURL(url("/login?done=pending-expired"));
    await expect(page.locator("#kw-notice").textContent()).resolves.toBe(expiredNotice);
    await screenshot(page, "finished-second-step-expired");

    // A recovery code typed after the sign-in expired: back to sign in as well.
    await signInWithPassword(page, email);
    await page.getByRole("link", { name: "Use a recovery code" }).click();
    await page.waitForURL(/\/auth\/tf-validate\?method=recovery$/);
    expire();
    await page.getByLabel("Code", { exact: true }).fill(codes[0]!);
    await page.getByRole("button", { name: "Verify" }).click();
    await page.waitForURL(url("/login?done=pending-expired"));
    await expect(page.locator("#kw-notice").textContent()).resolves.toBe(expiredNotice);

    // Only the key's own ceremony lapsed (the person took long at the key); the sign-in is
    // still pending: the page comes back saying so, and trying again works.
    await signInWithPassword(page, email);
    await page.route("**/auth/wan-signin-response", async (route) => {
      h.clock.advance(h.auth.config.webauthn.signinWithin + 1_000);
      await route.continue();
    });
    await page.getByRole("button", { name: "Use my security key" }).click();
    await page.waitForURL(url("/tf-select?done=step-expired"));
    await expect(page.locator("#kw-notice").textContent()).resolves.toBe(
      "That took too long. Please try again.",
    );
    await page.unrouteAll();
    await page.getByRole("button", { name: "Use my security key" }).click();
    await page.waitForURL(url("/account"));
    await signOut(page);

    // Signing in again works, and the code was not spent by the expired attempt.
    await signInWithPassword(page, email);
    await page.getByRole("link", { name: "Use a recovery code" }).click();
    await page.getByLabel("Code", { exact: true }).fill(codes[0]!);
    await page.getByRole("button", { name: "Verify" }).click();
    await page.waitForURL(url("/account"));
    await page.context().close();
  });

  it("says what else to do when the browser has no passkey for the site", async () => {
    const page = await openPage(browser);
    await page.goto(url("/login"));
    // A device with a passkey authenticator, but no passkey for this site on it.
    await VirtualAuthenticator.attach(page, PLATFORM);
    const help = page.locator("[data-kw-no-passkey]");
    await expect(help.isVisible()).resolves.toBe(false);
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    // What happened, then what else to do.
    await expect
      .poll(() => page.locator("#kw-error").textContent(), { timeout: 6_000 })
      .toMatch(/Nothing changed|No key answered/);
    await expect(help.isVisible()).resolves.toBe(true);
    await expect(help.textContent()).resolves.toMatch(/password below/);
    await screenshot(page, "finished-no-passkey");
    await help.getByRole("link", { name: "Lost your passkey? Recover your account" }).click();
    await page.waitForURL(url("/recover-account"));
    await page.context().close();
  });

  it("asks for no favicon that is not there", async () => {
    const page = await openPage(browser);
    const missing: string[] = [];
    const icons: string[] = [];
    page.on("response", (response) => {
      if (response.status() === 404) missing.push(response.url());
    });
    page.on("request", (request) => {
      if (/favicon/.test(request.url())) icons.push(request.url());
    });
    for (const path of ["/login", "/register", "/reset-password", "/recover-account"]) {
      await page.goto(url(path));
      await page.waitForLoadState("load");
      // Headless Chromium fetches no icon by itself; a desktop browser reads this link, and
      // without one asks the site for /favicon.ico (which an app may not serve: a 404).
      await expect(page.locator("link[rel=icon]").getAttribute("href")).resolves.toBe("data:,");
    }
    expect(icons).toEqual([]);
    expect(missing).toEqual([]);
    await page.context().close();
  });
});

/**
 * `twoFactor.methods` without `webauthn`: keys are no second factor here, so the pages do not
 * offer one (account page, sign-up), and the API refuses to register one.
 */
describe.skipIf(!chromiumAvailable())("keys that are not a second factor here", () => {
  let browser: Browser;
  const h = useHarness(sqlite, {
    pages: { home: "/auth/account" },
    accounts: { allowPasswordless: true },
    twoFactor: { methods: ["totp"] },
    webauthn: { signinTimeout: 4000, registerTimeout: 4000 },
  });
  const url = (path: string) => `${h.origin}/auth${path}`;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("offers keys only as passkeys, and the API refuses a second-factor key", async () => {
    const page = await openPage(browser);
    await page.goto(url("/register"));
    await VirtualAuthenticator.attach(page, PLATFORM);
    await page.getByLabel("Email").fill("totp-only@example.com");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/\/auth\/account\?done=welcome$/);

    const main = page.locator("main");
    await expect(
      page.getByRole("heading", { name: "Passkeys", exact: true }).isVisible(),
    ).resolves.toBe(true);
    await expect(main.textContent()).resolves.not.toMatch(
      /second factor|after (my|your) password/i,
    );
    await expect(page.getByLabel(/second factor/).count()).resolves.toBe(0);
    await expect(
      page.locator("form[data-kw-form='add-key'] input[name=usage]").getAttribute("value"),
    ).resolves.toBe("first");
    // The authenticator app is what two-step verification offers here.
    await expect(
      page.getByRole("button", { name: "Set up an authenticator app" }).isVisible(),
    ).resolves.toBe(true);
    await screenshot(page, "finished-account-totp-only");

    // The API says no to a second-factor key, whatever a page would send (this session may
    // change factors: the refusal is the usage's).
    const refused = await page.request.post(url("/wan-register"), {
      data: { name: "Sneaky", usage: "secondary" },
    });
    expect(refused.status()).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
      "WEBAUTHN_USAGE_NOT_ALLOWED",
    );
    // The key added from this page is a passkey.
    await page.getByLabel("Name", { exact: true }).fill("Laptop");
    await page.getByLabel("On this device").check();
    await page.getByRole("button", { name: "Add key" }).click();
    await page.waitForURL(/done=key-added$/);
    await expect(page.locator(".kw-key .kw-badge").first().textContent()).resolves.toBe("Passkey");

    const user = await h.store.users.byEmail("totp-only@example.com");
    const keys = await h.store.credentials.listForUser(user!.id);
    expect(keys.map((key) => key.usage)).toEqual(["first"]);
    await page.context().close();
  });

  it("takes a passwordless sign-up on to a passkey, not a second-factor key", async () => {
    const page = await openPage(browser);
    await page.goto(url("/register"));
    await VirtualAuthenticator.attach(page, PLATFORM);
    await page.getByLabel("Email").fill("totp-only-nopass@example.com");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(url("/register/passkey"));
    await expect(page.locator("main").textContent()).resolves.not.toMatch(
      /second factor|after (my|your) password/i,
    );
    await expect(
      page.locator("form[data-kw-form='add-key'] input[name=usage]").getAttribute("value"),
    ).resolves.toBe("first");
    await page.context().close();
  });
});
