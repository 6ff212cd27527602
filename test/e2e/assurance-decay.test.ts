import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKeyward, type Keyward } from "../../src/index.js";
import { toNodeHandler } from "../../src/node.js";
import { ManualClock } from "../../src/testing/index.js";
import { TEST_SECRET } from "../helpers/harness.js";
import {
  chromiumAvailable,
  launchChromium,
  type MeBody,
  openPage,
  PLATFORM,
  screenshot,
  VirtualAuthenticator,
} from "./browser.js";

const MINUTE = 60_000;

/**
 * An app page guarded by `auth.require({ aal: 2 })` meets a session whose AAL2 lapsed (an
 * hour without activity): the browser is sent to the verify page, which asks for the passkey
 * (not the password, which cannot restore AAL2), and comes back to the page at AAL2.
 */
describe.skipIf(!chromiumAvailable())("AAL2 decay in the browser", () => {
  const clock = new ManualClock(Date.now());
  let auth: Keyward;
  let server: Server;
  let origin = "";
  let browser: Browser;
  let page: Page;

  const url = (path: string) => `${origin}${path}`;
  const me = async () => {
    const response = await page.request.get(url("/auth/me"));
    return { status: response.status(), body: (await response.json()) as MeBody };
  };

  beforeAll(async () => {
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://localhost:${(server.address() as AddressInfo).port}`;
    auth = await createKeyward({
      rp: { id: "localhost", name: "Keyward Test", origins: [origin] },
      database: "sqlite::memory:",
      secret: TEST_SECRET,
      clock,
      env: {},
      pages: { home: "/auth/account" },
    });
    const keyward = toNodeHandler(auth);
    const guard = auth.require({ aal: 2 });
    server.on("request", (req, res) => {
      if (req.url?.startsWith("/auth")) return keyward(req, res);
      void guard(req, res, () => {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.end("<!doctype html><title>App</title><h1>Secret area</h1>");
      });
    });
    browser = await launchChromium();
    page = await openPage(browser);
    await page.goto(url("/auth/login"));
    await VirtualAuthenticator.attach(page, PLATFORM);
  });

  afterAll(async () => {
    await browser?.close();
    server?.closeAllConnections();
    server?.close();
    await auth?.close();
  });

  it("signs up, adds a passkey and reaches the guarded page at AAL2", async () => {
    await page.goto(url("/auth/register"));
    await page.getByLabel("Email").fill("ada@example.com");
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/\/auth\/account\?done=welcome$/);
    await page.getByLabel("Name", { exact: true }).fill("This laptop");
    // Passkeys default to a security key or another device (the seed's default): choose this one.
    await page.getByLabel("On this device").check();
    await page.getByRole("button", { name: "Add key" }).click();
    await page.waitForURL(/\/auth\/account\?done=key-added$/);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/auth\/login\?done=signed-out$/);

    await page.goto(url("/app"));
    await page.waitForURL(/\/auth\/login\?next=%2Fapp$/);
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await page.waitForURL(url("/app"));
    await expect(page.locator("h1").textContent()).resolves.toBe("Secret area");
    expect((await me()).body.session.aal).toBe(2);
  });

  it("after an hour idle, sends the guarded page to a passkey step-up and back at AAL2", async () => {
    clock.advance(61 * MINUTE);
    await page.goto(url("/app"));
    await page.waitForURL(/\/auth\/verify\?next=%2Fapp&reauthenticate$/);
    expect((await me()).body.session.aal).toBe(1);
    const text = await page.locator("main").textContent();
    expect(text).toContain("Your sign-in has timed out");
    // A password cannot restore AAL2, so the page does not offer one; signing in again can.
    await expect(page.getByLabel("Password").count()).resolves.toBe(0);
    await expect(page.getByRole("link", { name: "Sign in again" }).count()).resolves.toBe(1);
    await screenshot(page, "verify-reauthenticate");

    // The browser script turns the app's own refused call into a typed error.
    const code = await page.evaluate(async () => {
      const { Keyward: keyward } = window as unknown as {
        Keyward: { checkResponse(response: Response): Promise<Response> };
      };
      const response = await fetch("/app", { headers: { accept: "application/json" } });
      try {
        await keyward.checkResponse(response);
        return "ok";
      } catch (error) {
        const e = error as { code: string; serverCode: string; details?: { reason?: string } };
        return `${e.code} ${e.serverCode} ${e.details?.reason}`;
      }
    });
    expect(code).toBe("REAUTHENTICATION_REQUIRED REAUTHENTICATION_REQUIRED aal-expired");

    await page.getByRole("button", { name: "Use your passkey" }).click();
    await page.waitForURL(url("/app"));
    await expect(page.locator("h1").textContent()).resolves.toBe("Secret area");
    expect((await me()).body.session.aal).toBe(2);
  });
});
