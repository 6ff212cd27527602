import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KeywardClient } from "../../src/browser/client.js";
import { sqlite } from "../helpers/databases.js";
import { useHarness } from "../helpers/harness.js";
import {
  chromiumAvailable,
  launchChromium,
  type MeBody,
  openPage,
  PLATFORM,
  VirtualAuthenticator,
} from "./browser.js";

/** What the prebuilt keyward.js puts on `window` (src/browser/prebuilt.ts). */
type KeywardGlobal = {
  KeywardClient: new (options: { session: "token" }) => KeywardClient;
};

interface TokenRun {
  signedIn: { status: string; session?: MeBody["session"] };
  token: string | undefined;
  me: { status: number; body: MeBody };
  withoutBearer: number;
  heldAfterSignOut: string | undefined;
  meAfterSignOut: { status: number; body: { error?: { code: string } } };
}

/**
 * keyward/browser's bearer-token mode (docs/tokens.md), as built into keyward.js and run in
 * Chromium against the server: a passkey sign-in that answers with a token, an authenticated
 * route called with it, and sign-out, with no cookie in play.
 */
describe.skipIf(!chromiumAvailable())("the browser client with bearer tokens", () => {
  let browser: Browser;
  let page: Page;
  let laptop: VirtualAuthenticator;
  const h = useHarness(sqlite, { session: { bearer: true }, pages: { home: "/auth/account" } });
  const url = (path: string) => `${h.origin}/auth${path}`;

  beforeAll(async () => {
    browser = await launchChromium();
    page = await openPage(browser);
    await page.goto(url("/login"));
    laptop = await VirtualAuthenticator.attach(page, PLATFORM);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("signs in with a passkey for a token, calls /me with it, and signs out", async () => {
    // The account and its passkey, through the pages (a cookie session).
    await page.goto(url("/register"));
    await page.getByLabel("Email").fill("token-client@example.com");
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/\/auth\/account\?done=welcome$/);
    await page.getByLabel("Name", { exact: true }).fill("This laptop");
    await page.getByLabel("On this device").check();
    await page.getByRole("button", { name: "Add key" }).click();
    await page.waitForURL(/\/auth\/account\?done=key-added$/);
    await expect(laptop.credentials()).resolves.toHaveLength(1);

    // From here the browser holds no cookie: whatever signs in is the token client's doing.
    await page.goto(url("/login"));
    await page.context().clearCookies();
    await page.waitForFunction(() => "Keyward" in window);

    const run = await page.evaluate(async (): Promise<TokenRun> => {
      const { KeywardClient } = (window as unknown as { Keyward: KeywardGlobal }).Keyward;
      const client = new KeywardClient({ session: "token" });
      const signedIn = await client.signIn();
      const token = client.bearerToken;
      const me = await fetch("/auth/me", {
        headers: { authorization: `Bearer ${token}` },
        credentials: "omit",
      });
      const withoutBearer = (await fetch("/auth/me", { credentials: "omit" })).status;
      await client.signOut();
      const after = await fetch("/auth/me", {
        headers: { authorization: `Bearer ${token}` },
        credentials: "omit",
      });
      return {
        signedIn: signedIn as TokenRun["signedIn"],
        token,
        me: { status: me.status, body: await me.json() },
        withoutBearer,
        heldAfterSignOut: client.bearerToken,
        meAfterSignOut: { status: after.status, body: await after.json() },
      };
    });

    // A user-verifying passkey on its own: AAL2, and the session is the token.
    expect(run.signedIn).toMatchObject({ status: "signed-in", session: { aal: 2, uv: true } });
    expect(run.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(run.me.status).toBe(200);
    expect(run.me.body).toMatchObject({
      user: { email: "token-client@example.com" },
      session: { aal: 2 },
    });
    expect(run.withoutBearer).toBe(401);
    expect((await page.context().cookies()).map((c) => c.name)).not.toContain("keyward_session");

    // Signed out: the token ends on the server, and the client no longer holds it.
    expect(run.heldAfterSignOut).toBeUndefined();
    expect(run.meAfterSignOut.status).toBe(401);
    expect(run.meAfterSignOut.body.error?.code).toBe("BEARER_TOKEN_INVALID");
  });
});
