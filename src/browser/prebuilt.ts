/**
 * Entry of the prebuilt keyward.js served at {prefix}/static/keyward.js: exposes the API as
 * `window.Keyward` and enhances the default pages. Loaded from Keyward, it finds its prefix from
 * its own URL, so `<script src="/auth/static/keyward.js" defer>` is all an app page needs.
 */
import type { ClientConfig } from "../views/layout.js";
import * as api from "./index.js";
import { announceUpgrade, enhancePages, tabStorage, tryPasskeyUpgrade } from "./pages.js";

function pageConfig(): ClientConfig | undefined {
  const element = document.getElementById("keyward-config");
  if (!element?.textContent) return undefined;
  try {
    return JSON.parse(element.textContent) as ClientConfig;
  } catch {
    return undefined;
  }
}

function prefixFromScript(): string | undefined {
  const src = (document.currentScript as HTMLScriptElement | null)?.src;
  if (!src) return undefined;
  const path = new URL(src, location.href).pathname;
  const at = path.lastIndexOf("/static/");
  return at >= 0 ? path.slice(0, at) : undefined;
}

const scriptPrefix = prefixFromScript();
// An app's own page opts in with <script src="…/keyward.js" data-keyward-upgrade defer>: the
// automatic passkey upgrade is tried there too (the server decides whether it may run).
const upgradeOnAppPage =
  (document.currentScript as HTMLScriptElement | null)?.hasAttribute("data-keyward-upgrade") ===
  true;
const client = api.configure(scriptPrefix === undefined ? {} : { prefix: scriptPrefix });
(globalThis as unknown as { Keyward: unknown }).Keyward = { ...api, client };

function start(): void {
  const config = pageConfig();
  if (!config) {
    if (upgradeOnAppPage) {
      void tryPasskeyUpgrade(client, { page: "app", passkeyUpgrade: true }, tabStorage(), (key) =>
        announceUpgrade(key),
      );
    }
    return;
  }
  const pageClient = api.configure({ prefix: config.prefix, messages: config.messages });
  (globalThis as unknown as { Keyward: Record<string, unknown> }).Keyward.client = pageClient;
  document.documentElement.classList.add("kw-js");
  void enhancePages(pageClient, config);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
