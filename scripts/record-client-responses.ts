/**
 * Records what real client libraries send to a server after a WebAuthn ceremony, for
 * test/fixtures/clients (read by test/integration/client-shapes.test.ts).
 *
 * Every response comes from a real browser: headless Chromium with a CDP virtual authenticator
 * (a passkey-capable platform authenticator, or a USB security key without resident keys or
 * PIN). Each client then serialises the browser's PublicKeyCredential its own way:
 *
 * - `simplewebauthn-browser`: @simplewebauthn/browser's own bundle (the installed version),
 *   loaded into the page; what `startRegistration` / `startAuthentication` return.
 * - `flask-security`: Flask-Security's bundled static/js/webauthn.js serialisation
 *   (transformNewAssertionForServer / transformAssertionForServer), reproduced here from its
 *   source: ids and registration fields in unpadded base64url, assertion fields in *padded*
 *   base64url, `transports: null` where the browser has no `getTransports()`, `userHandle: ""`
 *   when the key returned none, and client extension results as JSON strings under its own
 *   names (`extensions`, `assertionClientExtensions`) instead of `clientExtensionResults`.
 * - `tojson`: the browser's own `PublicKeyCredential.prototype.toJSON()`.
 *
 * Run: `npx tsx scripts/record-client-responses.ts` (needs /usr/bin/chromium). Recorded once;
 * the fixtures are committed, and the test needs no browser.
 */
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import {
  type AuthenticatorOptions,
  launchChromium,
  PLATFORM,
  USB_KEY,
  VirtualAuthenticator,
} from "../test/e2e/browser.js";

const ORIGIN = "http://localhost:8000";
const RP_ID = "localhost";
const out = join(dirname(fileURLToPath(import.meta.url)), "..", "test", "fixtures", "clients");
// The package exports neither file: both are read from where the package is installed.
const simplewebauthnDir = join(process.cwd(), "node_modules", "@simplewebauthn", "browser");
const simplewebauthnBundle = readFileSync(
  join(simplewebauthnDir, "dist", "bundle", "index.umd.min.js"),
  "utf8",
);
const simplewebauthnVersion = (
  JSON.parse(readFileSync(join(simplewebauthnDir, "package.json"), "utf8")) as { version: string }
).version;

type Client = "simplewebauthn-browser" | "flask-security" | "tojson";

interface Scenario {
  name: string;
  description: string;
  authenticator: AuthenticatorOptions;
  /** `first`: a passkey signing in without a name; `secondary`: a key after a password. */
  usage: "first" | "secondary";
  residentKey: "required" | "discouraged";
  userVerification: "required" | "preferred" | "discouraged";
  /** Take getTransports() away from the page, as in browsers that lack it. */
  withoutGetTransports?: boolean;
}

const scenarios: Scenario[] = [
  {
    name: "passkey",
    description:
      "platform passkey (resident, UV), usernameless sign-in: the key returns a user handle",
    authenticator: PLATFORM,
    usage: "first",
    residentKey: "required",
    userVerification: "required",
  },
  {
    name: "security-key",
    description:
      "USB security key (no resident key, no PIN) as a second factor: the key returns no user handle",
    authenticator: USB_KEY,
    usage: "secondary",
    residentKey: "discouraged",
    userVerification: "discouraged",
  },
  {
    name: "security-key-no-gettransports",
    description:
      "the same security key in a browser without getTransports(), as Flask-Security's script handles it",
    authenticator: USB_KEY,
    usage: "secondary",
    residentKey: "discouraged",
    userVerification: "discouraged",
    withoutGetTransports: true,
  },
];

const clients: Array<{ client: Client; scenarios: string[]; source: string }> = [
  {
    client: "simplewebauthn-browser",
    scenarios: ["passkey", "security-key"],
    source: `@simplewebauthn/browser ${simplewebauthnVersion} (its UMD bundle, run in the page)`,
  },
  {
    client: "flask-security",
    scenarios: ["passkey", "security-key", "security-key-no-gettransports"],
    source:
      "pallets-eco/flask-security flask_security/static/js/webauthn.js serialisation, reproduced in the page",
  },
  {
    client: "tojson",
    scenarios: ["passkey", "security-key"],
    source: "PublicKeyCredential.prototype.toJSON() of Chromium",
  },
];

const b64url = (bytes: Buffer) => bytes.toString("base64url");

async function ceremony(page: Page, client: Client, kind: "create" | "get", options: unknown) {
  return page.evaluate(
    async ({ client, kind, options }) => {
      const fromB64url = (s: string) =>
        Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
      const std = (buf: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(buf)));
      // Flask-Security's two encoders: unpadded base64url, and base64url keeping its padding.
      const unpadded = (buf: ArrayBuffer) =>
        std(buf).replace(/\+/g, "-").replace(/\//g, "_").replace(/=/g, "");
      const padded = (buf: ArrayBuffer) => std(buf).replace(/\+/g, "-").replace(/\//g, "_");
      // biome-ignore lint/suspicious/noExplicitAny: options JSON from the recorder
      const json = options as any;
      if (client === "simplewebauthn-browser") {
        // biome-ignore lint/suspicious/noExplicitAny: the UMD bundle's global
        const lib = (window as any).SimpleWebAuthnBrowser;
        return kind === "create"
          ? JSON.parse(JSON.stringify(await lib.startRegistration({ optionsJSON: json })))
          : JSON.parse(JSON.stringify(await lib.startAuthentication({ optionsJSON: json })));
      }
      const publicKey =
        kind === "create"
          ? {
              ...json,
              challenge: fromB64url(json.challenge),
              user: { ...json.user, id: fromB64url(json.user.id) },
              excludeCredentials: [],
            }
          : {
              ...json,
              challenge: fromB64url(json.challenge),
              allowCredentials: (json.allowCredentials ?? []).map((d: { id: string }) => ({
                ...d,
                id: fromB64url(d.id),
              })),
            };
      const credential = (
        kind === "create"
          ? await navigator.credentials.create({ publicKey })
          : await navigator.credentials.get({ publicKey })
      ) as PublicKeyCredential;
      if (client === "tojson") return JSON.parse(JSON.stringify(credential.toJSON()));
      if (kind === "create") {
        const response = credential.response as AuthenticatorAttestationResponse;
        return JSON.parse(
          JSON.stringify({
            id: credential.id,
            rawId: unpadded(credential.rawId),
            type: credential.type,
            response: {
              attestationObject: unpadded(response.attestationObject),
              clientDataJSON: unpadded(response.clientDataJSON),
              transports: "getTransports" in response ? response.getTransports() : null,
            },
            extensions: JSON.stringify(credential.getClientExtensionResults()),
          }),
        );
      }
      const response = credential.response as AuthenticatorAssertionResponse;
      return JSON.parse(
        JSON.stringify({
          id: credential.id,
          rawId: unpadded(credential.rawId),
          type: credential.type,
          response: {
            authenticatorData: padded(response.authenticatorData),
            clientDataJSON: padded(response.clientDataJSON),
            signature: padded(response.signature),
            // new Uint8Array(null) is empty: a key without a user handle sends "".
            userHandle: padded(
              new Uint8Array(response.userHandle ?? new ArrayBuffer(0)).buffer as ArrayBuffer,
            ),
          },
          assertionClientExtensions: JSON.stringify(credential.getClientExtensionResults()),
        }),
      );
    },
    { client, kind, options },
  );
}

async function record(page: Page, client: Client, scenario: Scenario) {
  const authenticator = await VirtualAuthenticator.attach(page, scenario.authenticator);
  const userId = b64url(randomBytes(64));
  const registrationChallenge = b64url(randomBytes(32));
  const registration = await ceremony(page, client, "create", {
    challenge: registrationChallenge,
    rp: { id: RP_ID, name: "Keyward fixtures" },
    user: { id: userId, name: "holder@example.com", displayName: "holder@example.com" },
    pubKeyCredParams: [
      { type: "public-key", alg: -7 },
      { type: "public-key", alg: -257 },
    ],
    timeout: 60000,
    excludeCredentials: [],
    authenticatorSelection: {
      residentKey: scenario.residentKey,
      requireResidentKey: scenario.residentKey === "required",
      userVerification: scenario.userVerification,
    },
    attestation: "none",
    extensions: { credProps: true },
  });
  const authenticationChallenge = b64url(randomBytes(32));
  const named = scenario.usage === "secondary";
  const credentialId = (registration as { id: string }).id;
  const authentication = await ceremony(page, client, "get", {
    challenge: authenticationChallenge,
    rpId: RP_ID,
    timeout: 60000,
    userVerification: scenario.userVerification,
    allowCredentials: named ? [{ id: credentialId, type: "public-key" }] : [],
  });
  await authenticator.unplug();
  return {
    userId,
    registration: { challenge: registrationChallenge, response: registration },
    authentication: { challenge: authenticationChallenge, named, response: authentication },
  };
}

const browser = await launchChromium();
try {
  for (const { client, scenarios: names, source } of clients) {
    for (const scenario of scenarios.filter((s) => names.includes(s.name))) {
      const context = await browser.newContext();
      const page = await context.newPage();
      // tsx compiles the functions handed to page.evaluate with esbuild's name helper.
      await page.addInitScript("globalThis.__name = (target) => target;");
      // A page on http://localhost (a secure context) without a server behind it.
      await page.route(`${ORIGIN}/**`, (route) =>
        route.fulfill({ contentType: "text/html", body: "<!doctype html><title>fixtures</title>" }),
      );
      await page.goto(`${ORIGIN}/`);
      if (client === "simplewebauthn-browser")
        await page.addScriptTag({ content: simplewebauthnBundle });
      if (scenario.withoutGetTransports) {
        await page.evaluate(() => {
          // biome-ignore lint/suspicious/noExplicitAny: removing a platform method
          delete (AuthenticatorAttestationResponse.prototype as any).getTransports;
        });
      }
      const recorded = await record(page, client, scenario);
      const fixture = {
        description: `${client}: ${scenario.description}`,
        client,
        source,
        recordedWith:
          "headless Chromium with a CDP virtual authenticator (scripts/record-client-responses.ts)",
        rpId: RP_ID,
        origin: ORIGIN,
        usage: scenario.usage,
        ...recorded,
      };
      const file = join(out, `${client}-${scenario.name}.json`);
      writeFileSync(file, `${JSON.stringify(fixture, null, 2)}\n`);
      console.log(`wrote ${file}`);
      await context.close();
    }
  }
} finally {
  await browser.close();
}
