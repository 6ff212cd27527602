import { createHmac } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import {
  type Browser,
  type BrowserContextOptions,
  type CDPSession,
  chromium,
  type Page,
} from "playwright-core";

/** Debian's chromium; override with KEYWARD_CHROMIUM. */
export const CHROMIUM = process.env.KEYWARD_CHROMIUM ?? "/usr/bin/chromium";

/**
 * Whether the e2e suites can run. Without chromium they are skipped with a printed reason,
 * except in CI (CI=true), where a missing browser is a failure: .ci/run installs it.
 */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  const reason = `chromium not found at ${CHROMIUM} (apt-get install -y chromium)`;
  if (process.env.CI === "true") throw new Error(`E2E tests need chromium in CI: ${reason}`);
  console.warn(`Skipping browser e2e tests: ${reason}`);
  return false;
}

/** Headless chromium as CI runs it: no sandbox (containers), no background network traffic. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

/** CDP WebAuthn.VirtualAuthenticatorOptions, less the protocol (always CTAP2 here). */
export interface AuthenticatorOptions {
  transport: "usb" | "nfc" | "ble" | "internal";
  hasResidentKey?: boolean;
  hasUserVerification?: boolean;
  isUserVerified?: boolean;
  automaticPresenceSimulation?: boolean;
  defaultBackupEligibility?: boolean;
  defaultBackupState?: boolean;
}

/** CDP WebAuthn.Credential (the fields the tests read). */
export interface VirtualCredential {
  credentialId: string;
  isResidentCredential: boolean;
  rpId?: string;
  userHandle?: string;
  signCount: number;
}

/** A laptop's built-in authenticator: passkeys (resident keys) with user verification. */
export const PLATFORM: AuthenticatorOptions = {
  transport: "internal",
  hasResidentKey: true,
  hasUserVerification: true,
  isUserVerified: true,
  automaticPresenceSimulation: true,
};

/** A plain USB security key: no resident keys, no user verification (no PIN). */
export const USB_KEY: AuthenticatorOptions = {
  transport: "usb",
  hasResidentKey: false,
  hasUserVerification: false,
  automaticPresenceSimulation: true,
};

/**
 * A CDP virtual authenticator attached to one page. Chromium lets only one authenticator
 * answer reliably, so tests plug one in at a time; `unplug()` keeps its credentials (like a
 * key put in a drawer) and `plugIn()` brings it back with them.
 */
export class VirtualAuthenticator {
  private id: string | undefined;
  private stored: VirtualCredential[] = [];

  private constructor(
    private readonly cdp: CDPSession,
    private readonly options: AuthenticatorOptions,
  ) {}

  static async attach(page: Page, options: AuthenticatorOptions): Promise<VirtualAuthenticator> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("WebAuthn.enable", { enableUI: false });
    const authenticator = new VirtualAuthenticator(cdp, options);
    await authenticator.plugIn();
    return authenticator;
  }

  get authenticatorId(): string {
    if (!this.id) throw new Error("the authenticator is unplugged");
    return this.id;
  }

  async plugIn(): Promise<void> {
    if (this.id) return;
    const { authenticatorId } = await this.cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: { protocol: "ctap2", ...this.options },
    });
    this.id = authenticatorId;
    for (const credential of this.stored) {
      await this.cdp.send("WebAuthn.addCredential", {
        authenticatorId,
        credential: credential as never,
      });
    }
  }

  /** Removes the authenticator from the browser, keeping its credentials for `plugIn()`. */
  async unplug(): Promise<void> {
    if (!this.id) return;
    this.stored = await this.credentials();
    await this.cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId: this.id });
    this.id = undefined;
  }

  async credentials(): Promise<VirtualCredential[]> {
    const result = await this.cdp.send("WebAuthn.getCredentials", {
      authenticatorId: this.authenticatorId,
    });
    return result.credentials as VirtualCredential[];
  }

  /** Whether user verification (fingerprint, PIN) succeeds from now on. */
  async setUserVerified(isUserVerified: boolean): Promise<void> {
    await this.cdp.send("WebAuthn.setUserVerified", {
      authenticatorId: this.authenticatorId,
      isUserVerified,
    });
  }

  /** Whether the user touches the key when asked (false: requests wait until they time out). */
  async setPresence(enabled: boolean): Promise<void> {
    await this.cdp.send("WebAuthn.setAutomaticPresenceSimulation", {
      authenticatorId: this.authenticatorId,
      enabled,
    });
  }

  /** Runs `fn` with this authenticator unplugged, then plugs it back in. */
  async whileUnplugged<T>(fn: () => Promise<T>): Promise<T> {
    await this.unplug();
    try {
      return await fn();
    } finally {
      await this.plugIn();
    }
  }

  /** Called when the browser deletes a credential (e.g. after signalUnknownCredential). */
  onCredentialDeleted(handler: (credentialId: string) => void): void {
    this.cdp.on("WebAuthn.credentialDeleted", (payload) => handler(payload.credentialId));
  }
}

const SCREENSHOTS = join(process.cwd(), "test-output", "screenshots");
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** Full-page screenshots at desktop and phone widths: test-output/screenshots/<name>-*.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const original = page.viewportSize() ?? DESKTOP;
  for (const [label, size] of [
    ["desktop", DESKTOP],
    ["phone", PHONE],
  ] as const) {
    await page.setViewportSize(size);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${label}.png`), fullPage: true });
  }
  await page.setViewportSize(original);
}

/**
 * A page in a new context (desktop viewport, en-GB, UTC) as every suite wants it: 8 s default
 * timeout, console and errors printed with KEYWARD_E2E_DEBUG, passkey autofill only when asked.
 */
export async function openPage(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<Page> {
  const context = await browser.newContext({
    viewport: DESKTOP,
    locale: "en-GB",
    timezoneId: "UTC",
    ...options,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(8_000);
  debugPage(page);
  await autofillOnlyWhenAsked(page);
  return page;
}

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s), computed here so the test does not trust the server. */
export function totp(secretBase32: string, atMs: number): string {
  const clean = secretBase32.replace(/[\s=]/g, "").toUpperCase();
  let bits = "";
  for (const ch of clean) bits += BASE32.indexOf(ch).toString(2).padStart(5, "0");
  const bytes = Buffer.alloc(Math.floor(bits.length / 8));
  for (let i = 0; i < bytes.length; i++)
    bytes[i] = Number.parseInt(bits.slice(i * 8, i * 8 + 8), 2);
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(atMs / 30_000)));
  const mac = createHmac("sha1", bytes).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return value.toString().padStart(6, "0");
}

/** With KEYWARD_E2E_DEBUG=1, prints the page's console messages and errors. */
export function debugPage(page: Page): void {
  if (!process.env.KEYWARD_E2E_DEBUG) return;
  page.on("console", (message) => console.log(`[browser ${message.type()}] ${message.text()}`));
  page.on("pageerror", (error) => console.log(`[browser error] ${error.message}`));
  page.on("response", (response) => {
    if (response.status() >= 400) console.log(`[http ${response.status()}] ${response.url()}`);
  });
}

/**
 * Chromium's virtual authenticators answer a passkey-autofill (conditional) request at once,
 * as if the user had picked the passkey the moment the sign-in page loaded. Tests would be
 * signed in behind their back, so autofill is reported unavailable except on URLs carrying
 * `e2e-autofill` (the autofill test itself).
 */
export async function autofillOnlyWhenAsked(page: Page): Promise<void> {
  await page.addInitScript(() => {
    if (!location.search.includes("e2e-autofill")) {
      PublicKeyCredential.isConditionalMediationAvailable = async () => false;
    }
  });
}

/** GET {prefix}/me as the tests read it. */
export interface MeBody {
  user: { id: string; email: string };
  session: { aal: 1 | 2; amr: string[]; uv: boolean; fresh: boolean };
}
