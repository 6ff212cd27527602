import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { banner, describeDatabase, startDemo } from "../../examples/demo/server.js";
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
 * and the app's own page guarded by auth.require(), saying who is signed in and how, with a
 * sign-out (#18).
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
    await expect(page.locator("[data-demo-who]").textContent()).resolves.toBe(
      "You are not signed in.",
    );
    await expect(
      page.locator("header").getByRole("link", { name: "Sign in" }).isVisible(),
    ).resolves.toBe(true);
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
    // How the session signed in, in words, and who is signed in, with a way out (#18).
    await expect(page.locator("[data-demo-amr]").textContent()).resolves.toBe(
      "passkey with fingerprint or PIN",
    );
    await expect(page.locator("main").textContent()).resolves.not.toMatch(/\b(hwk|swk|mfa)\b/);
    await expect(page.locator("header").textContent()).resolves.toContain(
      "Signed in as demo@example.com",
    );
    await screenshot(page, "demo-account");
    await page.goto(demo.origin);
    await expect(page.locator("[data-demo-who]").textContent()).resolves.toBe(
      "Signed in as demo@example.com (passkey with fingerprint or PIN).",
    );
    await screenshot(page, "demo-home-signed-in");

    // The demo's own sign-out posts to Keyward with its CSRF token.
    await page.locator("header").getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/auth\/login\?done=signed-out$/);
    await page.goto(demo.origin);
    await expect(page.locator("[data-demo-who]").textContent()).resolves.toBe(
      "You are not signed in.",
    );
    expect((await page.request.get(`${demo.origin}/auth/me`)).status()).toBe(401);
  });

  it("declares no favicon on its own pages or Keyward's, and nothing it asks for is missing", async () => {
    const missing: string[] = [];
    page.on("response", (response) => {
      if (response.status() === 404) missing.push(response.url());
    });
    for (const path of ["/", "/auth/login", "/auth/register"]) {
      await page.goto(`${demo.origin}${path}`);
      await expect(page.locator("link[rel=icon]").getAttribute("href")).resolves.toBe("data:,");
    }
    expect(missing).toEqual([]);
  });
});

describe("the demo's start-up", () => {
  it("names the database it actually opened, whatever the option said", async () => {
    const dir = mkdtempSync(join(tmpdir(), "keyward-demo-"));
    const before = process.env.KEYWARD_DATABASE;
    process.env.KEYWARD_DATABASE = "sqlite::memory:";
    try {
      const demo = await startDemo({
        port: 0,
        database: `sqlite:${join(dir, "not-this.db")}`,
        secret: TEST_SECRET,
      });
      try {
        expect(banner(demo)).toBe(
          `Keyward demo: ${demo.origin}  (data in SQLite in memory (gone when the demo stops); Ctrl-C to stop)`,
        );
      } finally {
        await demo.close();
      }
    } finally {
      if (before === undefined) delete process.env.KEYWARD_DATABASE;
      else process.env.KEYWARD_DATABASE = before;
      rmSync(dir, { recursive: true, force: true });
    }
    expect(describeDatabase("sqlite:./demo.db")).toBe("SQLite file ./demo.db");
    expect(describeDatabase("postgres://app:hunter2@db.internal:5432/keyward?pool=5")).toBe(
      "PostgreSQL database keyward on db.internal:5432",
    );
  });

  it("says which variable to set, and what it needs, when the secret is too short", async () => {
    const start = startDemo({ port: 0, database: "sqlite::memory:", secret: "short" });
    await expect(start).rejects.toThrow(
      /secret: too short \(5 characters, at least 32 needed\): set KEYWARD_SECRET .* `openssl rand -base64 32`/,
    );
  });
});
