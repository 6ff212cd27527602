import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlite } from "../helpers/databases.js";
import { useHarness } from "../helpers/harness.js";
import {
  chromiumAvailable,
  launchChromium,
  type MeBody,
  openPage,
  USB_KEY,
  VirtualAuthenticator,
} from "./browser.js";

/**
 * Two-step verification required, with security keys the only method: an account without a
 * second factor is held back after its password, enrols a USB key from the enrolment page
 * ("Use a security key"), and is signed in at AAL2 by it; the next sign-in asks for that key.
 */
describe.skipIf(!chromiumAvailable())("a security key enrolled while signing in", () => {
  let browser: Browser;
  let page: Page;
  let usb: VirtualAuthenticator;

  const url = (path: string) => `${h.origin}/auth${path}`;
  const me = async () => {
    const response = await page.request.get(url("/me"));
    return { status: response.status(), body: (await response.json()) as MeBody };
  };
  const signInWithPassword = async () => {
    await page.goto(url("/login"));
    await page.getByLabel("Email or username").fill("kim@example.com");
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Sign in with password" }).click();
    await page.waitForURL(url("/tf-select"));
  };

  const h = useHarness(sqlite, {
    pages: { home: "/auth/account" },
    twoFactor: { required: true, methods: ["webauthn"] },
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

  it("enrols a USB key from the enrolment page and signs in at AAL2 with it", async () => {
    await page.getByLabel("Email").fill("kim@example.com");
    await page.getByLabel("Username").fill("kim");
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/\/auth\/account/);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/auth\/login\?done=signed-out$/);

    await signInWithPassword();
    expect((await me()).status).toBe(401);
    await page.getByRole("button", { name: "Use a security key" }).click();
    await page.waitForURL(url("/account"));
    const signedIn = await me();
    expect(signedIn.body.session).toMatchObject({ aal: 2, amr: ["pwd", "hwk"] });
    expect(await usb.credentials()).toHaveLength(1);
    const keys = await h.store.credentials.listForUser(signedIn.body.user.id);
    expect(keys.map((k) => k.usage)).toEqual(["secondary"]);

    // The next sign-in asks for the key it enrolled.
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/auth\/login\?done=signed-out$/);
    await signInWithPassword();
    await page.getByRole("button", { name: "Use my security key" }).click();
    await page.waitForURL(url("/account"));
    expect((await me()).body.session).toMatchObject({ aal: 2, amr: ["pwd", "hwk"] });
  });
});
