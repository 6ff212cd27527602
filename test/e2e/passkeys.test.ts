import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlite } from "../helpers/databases.js";
import { useHarness } from "../helpers/harness.js";
import {
  chromiumAvailable,
  launchChromium,
  type MeBody,
  openPage,
  PLATFORM,
  screenshot,
  VirtualAuthenticator,
} from "./browser.js";

interface SignalCall {
  method: string;
  rpId?: string;
  userId?: string;
  credentialId?: string;
  allAcceptedCredentialIds?: string[];
  name?: string;
  displayName?: string;
}

/** Spies on the page's Signal API calls (kept across reloads in sessionStorage), still calling through. */
async function recordSignals(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __kwSignals: unknown[] };
    w.__kwSignals = JSON.parse(sessionStorage.getItem("kwSignals") ?? "[]");
    const pkc = PublicKeyCredential as unknown as Record<string, (o: object) => Promise<void>>;
    for (const method of [
      "signalAllAcceptedCredentials",
      "signalCurrentUserDetails",
      "signalUnknownCredential",
    ]) {
      const original = pkc[method];
      if (typeof original !== "function") continue;
      pkc[method] = (options: object) => {
        w.__kwSignals.push({ method, ...options });
        sessionStorage.setItem("kwSignals", JSON.stringify(w.__kwSignals));
        return original.call(PublicKeyCredential, options);
      };
    }
  });
}

/**
 * Passkeys on a laptop's built-in authenticator (resident keys, user verification): sign up,
 * add a passkey, sign in without a username (button and autofill), step-up, rename, delete,
 * and the failures a person meets (verification refused, cancelled, key gone), each with a
 * clear message and nothing changed.
 */
describe.skipIf(!chromiumAvailable())("passkeys on a platform authenticator", () => {
  let browser: Browser;
  let page: Page;
  let laptop: VirtualAuthenticator;

  const url = (path: string) => `${h.origin}/auth${path}`;
  const me = async () => {
    const response = await page.request.get(url("/me"));
    return { status: response.status(), body: (await response.json()) as MeBody };
  };
  const errorText = () => page.locator("#kw-error");
  const signOut = async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/auth\/login\?done=signed-out$/);
  };
  const loginPage = () => page.goto(url("/login"));
  /** Signs in again with the passkey (AAL2), as adding a key needs once the account has one. */
  const signInWithPasskey = async () => {
    await signOut();
    await loginPage();
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await page.waitForURL(url("/account"));
  };
  const signals = () =>
    page.evaluate(() => (window as unknown as { __kwSignals?: SignalCall[] }).__kwSignals ?? []);

  const h = useHarness(sqlite, {
    pages: { home: "/auth/account" },
    // Short browser timeouts so "no key answered" shows up in seconds.
    webauthn: { signinTimeout: 4000, registerTimeout: 4000 },
  });
  beforeAll(async () => {
    browser = await launchChromium();
    page = await openPage(browser);
    await recordSignals(page);
    await page.goto(url("/login"));
    laptop = await VirtualAuthenticator.attach(page, PLATFORM);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("signs up with a password and adds a passkey on this device", async () => {
    await page.goto(url("/register"));
    await screenshot(page, "register");
    await page.getByLabel("Email").fill("pat@example.com");
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/\/auth\/account\?done=welcome$/);
    await expect(page.locator("#kw-notice").textContent()).resolves.toContain(
      "Your account is ready",
    );
    await expect(
      page.getByText("You have no passkeys or security keys yet.").count(),
    ).resolves.toBe(1);
    await screenshot(page, "account-empty");

    // This device can hold a passkey, so the page offers the choice; the default is this device.
    await expect(page.getByText("On this device").isVisible()).resolves.toBe(true);
    await page.getByLabel("Name", { exact: true }).fill("This laptop");
    // Passkeys default to a security key or another device (the seed's default): choose this one.
    await page.getByLabel("On this device").check();
    await page.getByRole("button", { name: "Add key" }).click();
    await page.waitForURL(/\/auth\/account\?done=key-added$/);

    const item = page.locator(".kw-key");
    await expect(item.count()).resolves.toBe(1);
    const text = await item.textContent();
    expect(text).toContain("This laptop");
    expect(text).toContain("Passkey");
    expect(text).toContain("This device only");
    expect(text).toContain("Never");
    await expect(laptop.credentials()).resolves.toHaveLength(1);
    const keys = await (await page.request.get(url("/wan-credentials"))).json();
    expect(keys.credentials).toMatchObject([{ name: "This laptop", usage: "first" }]);
    await screenshot(page, "account-passkey");
  });

  it("refuses the same authenticator twice with a clear message, adding nothing", async () => {
    await signInWithPasskey();
    await page.getByLabel("Name", { exact: true }).fill("Again");
    // Passkeys default to a security key or another device (the seed's default): choose this one.
    await page.getByLabel("On this device").check();
    await page.getByRole("button", { name: "Add key" }).click();
    await expect
      .poll(() => errorText().textContent(), { timeout: 5_000 })
      .toMatch(/already registered/);
    await expect(page.locator(".kw-key").count()).resolves.toBe(1);
    await expect(laptop.credentials()).resolves.toHaveLength(1);
  });

  it("signs out, then signs in without a username with the passkey button at AAL2", async () => {
    await signOut();
    await expect(page.locator("#kw-notice").textContent()).resolves.toBe("You have signed out.");
    await loginPage();
    await screenshot(page, "login");
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await page.waitForURL(url("/account"));
    const { body } = await me();
    expect(body.session).toMatchObject({ aal: 2, uv: true });
    expect(body.session.amr).toContain("mfa");
    await expect(page.locator(".kw-key").textContent()).resolves.not.toContain("Never");
  });

  it("signs in through passkey autofill at AAL2", async () => {
    await signOut();
    expect((await me()).status).toBe(401);
    // The sign-in page starts a conditional request; the virtual authenticator picks the passkey.
    await page.goto(url("/login?e2e-autofill"));
    await page.waitForURL(url("/account"));
    const { body } = await me();
    expect(body.session).toMatchObject({ aal: 2 });
  });

  it("shows a clear message and signs nobody in when user verification fails", async () => {
    await signOut();
    await loginPage();
    await laptop.setUserVerified(false);
    try {
      await page.getByRole("button", { name: "Sign in with a passkey" }).click();
      await expect
        .poll(() => errorText().textContent(), { timeout: 5_000 })
        .toMatch(/Nothing changed/);
      await screenshot(page, "login-error");
    } finally {
      await laptop.setUserVerified(true);
    }
    expect(page.url()).toContain("/auth/login");
    expect((await me()).status).toBe(401);
  });

  it("shows a clear message and signs nobody in when the user cancels", async () => {
    await loginPage();
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
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await expect.poll(() => errorText().textContent(), { timeout: 5_000 }).toMatch(/cancelled/);
    expect((await me()).status).toBe(401);
    // The button works again afterwards.
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await page.waitForURL(url("/account"));
  });

  it("says no key answered when the authenticator is gone, and changes nothing", async () => {
    await signOut();
    await loginPage();
    await laptop.whileUnplugged(async () => {
      await page.getByRole("button", { name: "Sign in with a passkey" }).click();
      await expect
        .poll(() => errorText().textContent(), { timeout: 10_000 })
        .toMatch(/No key answered in time/);
    });
    expect((await me()).status).toBe(401);
  });

  it("confirms it's you with the passkey when the session is no longer fresh", async () => {
    await loginPage();
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await page.waitForURL(url("/account"));
    h.clock.advance(11 * 60_000);
    await page.goto(url("/account"));
    await expect(page.getByText("needs a recent sign-in").isVisible()).resolves.toBe(true);
    await page.getByRole("link", { name: "Confirm it's you" }).click();
    await page.waitForURL(/\/auth\/verify\?next=/);
    await screenshot(page, "verify");
    await page.getByRole("button", { name: "Use a passkey or security key" }).click();
    await page.waitForURL(url("/account"));
    await expect(page.getByText("needs a recent sign-in").count()).resolves.toBe(0);
    expect((await me()).body.session).toMatchObject({ fresh: true });
  });

  it("renames the passkey with a plain form", async () => {
    await page.getByText("Rename", { exact: true }).click();
    const field = page.getByLabel("New name for This laptop");
    await field.fill("Work laptop");
    await page.getByRole("button", { name: "Save name" }).click();
    await page.waitForURL(/done=key-renamed$/);
    await expect(page.locator("#kw-notice").textContent()).resolves.toBe("Key renamed.");
    await expect(page.locator(".kw-key-name").textContent()).resolves.toBe("Work laptop");
  });

  it("deletes the passkey; the account page tells the passkey provider (Signal API)", async () => {
    const forgotten = new Promise<string>((resolve) => laptop.onCredentialDeleted(resolve));
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: "Delete Work laptop" }).click();
    // The passkey earned this session, so deleting it signs the browser out too.
    await page.waitForURL(/\/auth\/login\?done=key-deleted-signed-out$/);
    await expect(page.locator("#kw-notice").textContent()).resolves.toContain("Key deleted.");
    expect((await me()).status).toBe(401);
    // With no passkey left, the password alone signs in (AAL1) and opens the account page.
    await page.getByLabel("Email or username").fill("pat@example.com");
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Sign in with password" }).click();
    await page.waitForURL(url("/account"));
    expect((await me()).body.session).toMatchObject({ aal: 1, amr: ["pwd"] });
    await expect(page.locator(".kw-key").count()).resolves.toBe(0);

    // The page reports the keys the site still accepts (none) and the user's current details.
    await expect
      .poll(() => signals(), { timeout: 5_000 })
      .toContainEqual(
        expect.objectContaining({
          method: "signalAllAcceptedCredentials",
          allAcceptedCredentialIds: [],
        }),
      );
    const calls = await signals();
    const accepted = calls.filter((c) => c.method === "signalAllAcceptedCredentials").at(-1)!;
    expect(accepted).toMatchObject({ rpId: "localhost" });
    expect(calls).toContainEqual(
      expect.objectContaining({
        method: "signalCurrentUserDetails",
        name: "pat@example.com",
        displayName: "pat@example.com",
        userId: accepted.userId,
      }),
    );
    // Chromium's authenticator drops the passkey the site no longer accepts.
    await expect(forgotten).resolves.toBeTruthy();
    await expect(laptop.credentials()).resolves.toHaveLength(0);
  });

  it("tells the authenticator to forget a passkey the server no longer knows at sign-in", async () => {
    await page.getByLabel("Name", { exact: true }).fill("Short-lived");
    // Passkeys default to a security key or another device (the seed's default): choose this one.
    await page.getByLabel("On this device").check();
    await page.getByRole("button", { name: "Add key" }).click();
    await page.waitForURL(/\/auth\/account\?done=key-added$/);
    await expect(laptop.credentials()).resolves.toHaveLength(1);
    const userId = (await me()).body.user.id;
    const [key] = await h.store.credentials.listForUser(userId);
    // Let the account page finish telling the provider about the new key first.
    await expect
      .poll(() => signals(), { timeout: 5_000 })
      .toContainEqual(
        expect.objectContaining({
          method: "signalAllAcceptedCredentials",
          allAcceptedCredentialIds: [key!.credentialId],
        }),
      );
    // Removed on the server behind the page's back (say, by an admin with the CLI).
    await h.store.credentials.delete(userId, key!.id);

    await signOut();
    await loginPage();
    const forgotten = new Promise<string>((resolve) => laptop.onCredentialDeleted(resolve));
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await expect
      .poll(() => errorText().textContent(), { timeout: 5_000 })
      .toMatch(/isn't registered here any more/);
    await expect(forgotten).resolves.toBeTruthy();
    await expect(laptop.credentials()).resolves.toHaveLength(0);
    expect((await me()).status).toBe(401);
    expect(await signals()).toContainEqual(
      expect.objectContaining({
        method: "signalUnknownCredential",
        credentialId: key!.credentialId,
      }),
    );
  });
});
