import type { ClientConfig } from "../views/layout.js";
import type { KeyInfo, KeywardClient, SignInResult, Support } from "./client.js";
import { KeywardClientError } from "./errors.js";

/**
 * Progressive enhancement of the default pages (and of app pages using the same attributes):
 * reveals `[data-kw-needs]` parts the browser supports, and wires `[data-kw-action]` buttons
 * and `[data-kw-form]` forms to the client. Without JavaScript the pages still work where the
 * flow allows it (password, codes, rename, delete).
 */
export async function enhancePages(client: KeywardClient, config: ClientConfig): Promise<void> {
  const support = await client.support();
  reveal(support);
  const ui = new PageUi(client, config);
  ui.focusError();

  on("[data-kw-action='passkey-signin']", "click", (button) =>
    ui.run(
      button,
      () => {
        ui.otherWaysIn(undefined); // a new try: the last one's help goes
        const identity = document.querySelector<HTMLInputElement>("#kw-identity")?.value;
        return client
          .signIn({ ...(identity ? { identity } : {}), ...rememberChoice() })
          .then((r) => ui.signedIn(r));
      },
      (error) => {
        ui.otherWaysIn(error);
        return false; // the error itself is shown too: what happened, then what else to do
      },
    ),
  );
  on("[data-kw-action='verify']", "click", (button) =>
    ui.run(button, () => client.verify().then(() => ui.go(config.next ?? config.home))),
  );
  on("[data-kw-action='reauthenticate']", "click", (button) =>
    ui.run(button, () => client.reauthenticate().then(() => ui.go(config.next ?? config.home))),
  );
  on("[data-kw-action='second-factor-key']", "click", (button) =>
    ui.run(
      button,
      () =>
        client
          .secondFactor({
            state: button.dataset.kwState ?? "",
            rememberDevice:
              document.querySelector<HTMLInputElement>("#kw-remember-device")?.checked === true,
          })
          .then((r) => ui.signedIn(r)),
      (error) => ui.secondStepExpired(error),
    ),
  );
  // A sign-in held back for enrolment: a new security key completes it.
  on("[data-kw-action='enrol-key']", "click", (button) =>
    ui.run(
      button,
      () => client.enrolKey({ state: button.dataset.kwState ?? "" }).then((r) => ui.signedIn(r)),
      (error) => ui.secondStepExpired(error),
    ),
  );
  const approval = document.querySelector<HTMLFormElement>("form[data-kw-poll='approval']");
  if (approval) pollApproval(approval, ui, config);
  bindCopyCodes(document, ui);
  for (const form of document.querySelectorAll<HTMLFormElement>("form[data-kw-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.kwConfirm ?? "")) event.preventDefault();
    });
  }
  const addKey = document.querySelector<HTMLFormElement>("form[data-kw-form='add-key']");
  if (addKey) followUsage(addKey);
  addKey?.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(addKey);
    const attachment = data.get("attachment");
    const button = addKey.querySelector<HTMLButtonElement>("button[type=submit]")!;
    void ui.run(button, async () => {
      const name = String(data.get("name") ?? "").trim();
      const { recoveryCodes } = await client.registerKey({
        ...(name ? { name } : {}),
        usage: data.get("usage") === "first" ? "first" : "secondary",
        ...(isPlacement(attachment) ? { attachment } : {}),
      });
      // The first second factor brings recovery codes: shown here, once, before moving on.
      if (recoveryCodes?.length && showRecoveryCodes(addKey, recoveryCodes, support, ui)) return;
      // Where the page says to go next (the recovery page: sign in with the new key).
      ui.go(addKey.dataset.kwNext ?? `${config.prefix}/account?done=key-added`);
    });
  });
  if (support.autofill && document.querySelector("form[data-kw-autofill]")) ui.autofill();
  void tryPasskeyUpgrade(client, config, tabStorage(), (key) => {
    // The account page lists keys: show the new one; elsewhere, say what happened.
    announceUpgrade(key);
    if (config.page === "account") ui.go(`${config.prefix}/account?done=passkey-upgraded`);
    else ui.notice(client.message("client.passkeyUpgraded"));
  });
  // Pages of a signed-in user keep the passkey provider's list in step with the server.
  if (support.webauthn && document.querySelector("[data-kw-signal]")) {
    void client.syncPasskeys().catch(() => {});
  }
}

const placements = ["platform", "cross-platform", "hybrid"] as const;

/** A "where is the key" choice the server accepts. */
function isPlacement(value: unknown): value is (typeof placements)[number] {
  return placements.includes(value as (typeof placements)[number]);
}

/** Remembers, per tab, that this sign-in's automatic passkey upgrade was tried. */
export const UPGRADE_TRIED = "keyward.passkeyUpgradeTried";

/**
 * The automatic passkey upgrade after a password sign-in: tried once per sign-in (the sign-in
 * page forgets the attempt), only when the server says this session may (config.passkeyUpgrade)
 * and the browser can create a passkey without a prompt. Silent when nothing is made: the user
 * never asked for it. Resolves with what `added` returned for a new key, else null.
 */
export async function tryPasskeyUpgrade<T>(
  client: Pick<KeywardClient, "upgradeToPasskey">,
  config: Pick<ClientConfig, "page" | "passkeyUpgrade">,
  storage: Pick<Storage, "getItem" | "setItem" | "removeItem"> | undefined,
  added: (key: NonNullable<Awaited<ReturnType<KeywardClient["upgradeToPasskey"]>>>) => T,
): Promise<T | null> {
  if (config.page === "login") storage?.removeItem(UPGRADE_TRIED);
  if (!config.passkeyUpgrade || storage?.getItem(UPGRADE_TRIED)) return null;
  storage?.setItem(UPGRADE_TRIED, "1");
  const key = await client.upgradeToPasskey().catch(() => null);
  return key ? added(key) : null;
}

/** Tells the page's own code that a passkey was made: a `keyward:passkey-upgraded` event. */
export function announceUpgrade(key: KeyInfo): void {
  document.dispatchEvent(new CustomEvent("keyward:passkey-upgraded", { detail: { key } }));
}

/** This tab's sessionStorage; undefined where the browser refuses it (storage blocked). */
export function tabStorage(): Storage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined;
  }
}

/** Copies the listed recovery codes from a copy button under `root`. */
function bindCopyCodes(root: ParentNode, ui: PageUi): void {
  for (const button of root.querySelectorAll<HTMLElement>("[data-kw-action='copy-codes']")) {
    button.addEventListener("click", () => {
      const codes = [...document.querySelectorAll("[data-kw-codes] li")].map(
        (li) => li.textContent,
      );
      void navigator.clipboard.writeText(codes.join("\n")).then(() => {
        ui.notice(button.dataset.kwCopied ?? "");
      });
    });
  }
}

/**
 * The add-key form's "where is the key" follows the chosen usage's default, and a platform key
 * that would be the only second factor shows its warning before it is added.
 */
function followUsage(form: HTMLFormElement): void {
  const where = form.querySelector<HTMLFieldSetElement>("[data-kw-attachment]");
  const warning = form.querySelector<HTMLElement>("[data-kw-warn='platform-second-factor']");
  const usage = () => {
    const checked = form.querySelector<HTMLInputElement>("input[name=usage]:checked");
    return (checked ?? form.querySelector<HTMLInputElement>("input[name=usage]"))?.value;
  };
  const update = (usageChanged: boolean) => {
    if (where && usageChanged) {
      const fallback =
        usage() === "first" ? where.dataset.kwDefaultFirst : where.dataset.kwDefaultSecondary;
      for (const radio of where.querySelectorAll<HTMLInputElement>("input[name=attachment]")) {
        radio.checked = radio.value === fallback;
      }
    }
    if (warning) {
      const platform = where?.querySelector<HTMLInputElement>("input[value=platform]")?.checked;
      warning.hidden = !(usage() === "secondary" && platform === true && where?.hidden === false);
    }
  };
  form.addEventListener("change", (event) => {
    update((event.target as HTMLInputElement | null)?.name === "usage");
  });
  update(false);
}

/** Replaces the add-key form's section with the new recovery codes; false without a template. */
function showRecoveryCodes(form: HTMLFormElement, codes: string[], support: Support, ui: PageUi) {
  const template = document.querySelector<HTMLTemplateElement>(
    "template[data-kw-template='recovery-codes']",
  );
  const section = form.closest("section") ?? form.parentElement;
  if (!template || !section) return false;
  const content = template.content.cloneNode(true) as DocumentFragment;
  const list = content.querySelector("[data-kw-codes]");
  for (const code of codes) {
    const item = document.createElement("li");
    item.textContent = code;
    list?.append(item);
  }
  const download = content.querySelector<HTMLAnchorElement>("[data-kw-download]");
  if (download) {
    const text = `${download.dataset.kwDownload ?? ""}\n\n${codes.join("\n")}\n`;
    download.href = `data:text/plain;charset=utf-8,${encodeURIComponent(text)}`;
  }
  section.replaceChildren(content);
  reveal(support);
  bindCopyCodes(section, ui);
  ui.notice("");
  section.querySelector<HTMLElement>("h3")?.focus();
  return true;
}

/** Shows what needs a capability the browser has; hides fallbacks for it. */
function reveal(support: Support): void {
  const has: Record<string, boolean> = {
    webauthn: support.webauthn,
    platform: support.webauthn && support.platformAuthenticator,
    clipboard: typeof navigator.clipboard?.writeText === "function",
  };
  for (const el of document.querySelectorAll<HTMLElement>("[data-kw-needs]")) {
    const ok = has[el.dataset.kwNeeds ?? ""] === true;
    el.hidden = !ok;
    if (el instanceof HTMLFieldSetElement) el.disabled = !ok;
  }
  for (const el of document.querySelectorAll<HTMLElement>("[data-kw-unless]")) {
    el.hidden = has[el.dataset.kwUnless ?? ""] === true;
  }
}

function on(selector: string, type: string, handler: (el: HTMLElement) => void): void {
  for (const el of document.querySelectorAll<HTMLElement>(selector)) {
    el.addEventListener(type, () => handler(el));
  }
}

class PageUi {
  private busy = false;

  constructor(
    private readonly client: KeywardClient,
    private readonly config: ClientConfig,
  ) {}

  /**
   * Runs one ceremony from a button: busy state, errors shown (unless `handled` takes care of
   * one and returns true), autofill restarted after.
   */
  async run(
    button: HTMLElement,
    task: () => Promise<void>,
    handled: (error: unknown) => boolean = () => false,
  ): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error("");
    this.notice(this.client.message("client.working"));
    button.setAttribute("aria-busy", "true");
    (button as HTMLButtonElement).disabled = true;
    try {
      await task();
    } catch (error) {
      this.notice("");
      if (!handled(error)) this.error(describe(error, this.client));
      if (document.querySelector("form[data-kw-autofill]")) this.autofill();
    } finally {
      this.busy = false;
      button.removeAttribute("aria-busy");
      (button as HTMLButtonElement).disabled = false;
    }
  }

  /** Passkey autofill on the sign-in form; quietly restarts when a button ceremony ends. */
  autofill(): void {
    this.client.signInWithAutofill({ remember: () => rememberChoice().remember }).then(
      (result) => this.signedIn(result),
      (error: unknown) => {
        if (error instanceof KeywardClientError && error.code === "ABORTED") return;
        if (error instanceof KeywardClientError && error.code === "UNSUPPORTED") return;
        this.error(describe(error, this.client));
        // A refused start would be refused again at once: restarting would hammer the server
        // in a loop. The passkey button still works once the limit lifts.
        if (error instanceof KeywardClientError && error.serverCode === "RATE_LIMITED") return;
        if (!this.busy) setTimeout(() => this.autofill(), 0);
      },
    );
  }

  /**
   * A passkey sign-in that no passkey answered (the browser has none for this site, or the
   * person dismissed the prompt): besides the error, the page's `[data-kw-no-passkey]` says
   * what else they can do (their password, recovering a lost passkey). Hidden otherwise.
   */
  otherWaysIn(error: unknown): void {
    const help = document.querySelector<HTMLElement>("[data-kw-no-passkey]");
    if (!help) return;
    help.hidden = !(
      error instanceof KeywardClientError &&
      (error.code === "CANCELLED" || error.code === "TIMED_OUT")
    );
  }

  /**
   * The second step's key ceremony found its state gone. Trying again would fail the same way,
   * so the second-factor page is asked again: the server shows it (the sign-in is still
   * pending: only the key's own ceremony took too long) or sends the person back to sign in
   * with a message (the pending sign-in expired).
   */
  secondStepExpired(error: unknown): boolean {
    const code = error instanceof KeywardClientError ? error.serverCode : undefined;
    if (code !== "STATE_EXPIRED" && code !== "STATE_INVALID") return false;
    const next = this.config.next ? `&next=${encodeURIComponent(this.config.next)}` : "";
    this.go(`${this.config.prefix}/tf-select?done=step-expired${next}`);
    return true;
  }

  signedIn(result: SignInResult): void {
    if (result.status === "signed-in") {
      this.go(this.config.next ?? this.config.home);
      return;
    }
    // A second factor is owed: hand the pending state to the server-rendered second-factor page.
    const form = document.createElement("form");
    form.method = "post";
    form.action = `${this.config.prefix}/tf-continue`;
    const fields: Record<string, string> = {
      csrfToken: this.config.csrfToken,
      state: result.state,
      ...(this.config.next ? { next: this.config.next } : {}),
    };
    for (const [name, value] of Object.entries(fields)) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      form.append(input);
    }
    document.body.append(form);
    form.submit();
  }

  go(url: string): void {
    window.location.assign(url);
  }

  focusError(): void {
    const box = document.getElementById("kw-error");
    if (box?.textContent?.trim()) box.focus();
  }

  error(text: string): void {
    const box = document.getElementById("kw-error");
    if (!box) return;
    box.textContent = text;
    if (text) {
      this.notice("");
      box.focus();
    }
  }

  notice(text: string): void {
    const box = document.getElementById("kw-notice");
    if (box) box.textContent = text;
  }
}

/** The page's "Remember me" box, when it has one: unticked asks for a browser session. */
function rememberChoice(): { remember?: boolean } {
  const box = document.querySelector<HTMLInputElement>("#kw-remember");
  return box ? { remember: box.checked } : {};
}

function describe(error: unknown, client: KeywardClient): string {
  if (error instanceof KeywardClientError) return error.message;
  return client.message("client.server");
}

/** How often the approval page asks whether the app's factor was approved. */
const APPROVAL_POLL_MS = 2000;

/**
 * An app's approval factor (the "approve on your phone" page): asks the server, the way its
 * continue button would, until the approval is there, then goes on signed in. The answer
 * "not yet" (409 TWO_FACTOR_APPROVAL_PENDING) is neither counted nor recorded by the server;
 * any other refusal (denied, expired) is shown, and the asking stops.
 */
function pollApproval(form: HTMLFormElement, ui: PageUi, config: ClientConfig): void {
  const ask = async (): Promise<void> => {
    let response: Response;
    try {
      response = await fetch(form.action, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          accept: "application/json",
        },
        body: new URLSearchParams(
          [...new FormData(form)].map(([name, value]) => [name, String(value)]),
        ).toString(),
      });
    } catch {
      setTimeout(ask, APPROVAL_POLL_MS); // offline for a moment: ask again
      return;
    }
    if (response.ok) {
      ui.go(config.next ?? config.home);
      return;
    }
    const body = (await response.json().catch(() => undefined)) as
      | { error?: { code?: string; message?: string } }
      | undefined;
    if (body?.error?.code === "TWO_FACTOR_APPROVAL_PENDING") {
      setTimeout(ask, APPROVAL_POLL_MS);
      return;
    }
    ui.error(body?.error?.message ?? response.statusText);
  };
  setTimeout(ask, APPROVAL_POLL_MS);
}
