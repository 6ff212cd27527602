import type { PublicUser } from "../core/types.js";
import { html, jsonScript, type SafeHtml } from "./html.js";
import type { ClientMessageKey, Translate } from "./messages.js";

/** What the browser script reads from a page: where the API lives and its messages. */
export interface ClientConfig {
  prefix: string;
  /** Which page this is (a PageName). */
  page: string;
  /** Where to go after a flow completes. */
  next: string | null;
  home: string;
  /** For forms the script builds (e.g. handing a pending sign-in to the second-factor page). */
  csrfToken: string;
  messages: Record<ClientMessageKey, string>;
  /**
   * This session was just earned by a password and may get a passkey without a prompt: the
   * script tries an automatic passkey upgrade (webauthn/upgrade.ts) where the browser can.
   */
  passkeyUpgrade: boolean;
}

/** What every page is given, whatever it shows. */
export interface PageBase {
  /** Translates a catalogue key (with the app's overrides). */
  t: Translate;
  /** Where Keyward is mounted, e.g. "/auth". */
  prefix: string;
  /** The relying party's name, shown in the header and titles. */
  siteName: string;
  /** The app's home page. */
  home: string;
  /** The CSRF token every form must carry as `csrfToken` (its cookie is already set). */
  csrfToken: string;
  /** A validated same-site path to continue to after the flow, if the request named one. */
  next: string | undefined;
  /** The signed-in user, if any. */
  user: PublicUser | null;
  /** An error to show (already translated). */
  error: string | undefined;
  /** A confirmation to show, e.g. after a redirect (already translated). */
  notice: string | undefined;
  /** Content-hashed URLs of the stylesheet and the browser script. */
  assets: { style: string; script: string };
  /** Configuration for the browser script. */
  client: ClientConfig;
  /** The layout in use (the app's, when it replaced it): page renderers wrap their body in it. */
  layout: Layout;
}

export interface LayoutProps {
  page: PageBase;
  /** The page's title (also its h1, written by the page). */
  title: string;
  body: SafeHtml;
  /** Wider column for pages with lists. */
  wide?: boolean;
}

export type Layout = (props: LayoutProps) => SafeHtml | string;

/** Hidden inputs every form carries: the CSRF token and where to go next. */
export function formState(page: PageBase): SafeHtml {
  return html`<input type="hidden" name="csrfToken" value="${page.csrfToken}">${
    page.next && html`<input type="hidden" name="next" value="${page.next}">`
  }`;
}

/** The error or notice of a page, as live regions the browser script also writes to. */
export function alerts(page: PageBase): SafeHtml {
  return html`<div class="kw-alert kw-alert--error" role="alert" id="kw-error" tabindex="-1">${
    page.error
  }</div><div class="kw-alert kw-alert--ok" role="status" id="kw-notice">${page.notice}</div>`;
}

/**
 * The default page frame: header (site, who is signed in, sign out), main column, assets. It
 * declares an empty icon (`data:,`), so browsers do not ask the app for a /favicon.ico it may
 * not have; an app layout names its own.
 */
export function layout({ page, title, body, wide }: LayoutProps): SafeHtml {
  const { t, user } = page;
  return html`<!doctype html>
<html lang="${t("lang")}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${title} · ${page.siteName}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${page.assets.style}">
<script src="${page.assets.script}" defer></script>
</head>
<body>
<a class="kw-skip" href="#main">${t("site.skip")}</a>
<header class="kw-top">
<a class="kw-brand" href="${page.home}">${page.siteName}</a>
${
  user &&
  html`<div class="kw-who"><span>${t("site.signedInAs", { email: user.email })}</span>
<a href="${page.prefix}/account">${t("site.security")}</a>
<form method="post" action="${page.prefix}/logout">${formState({ ...page, next: undefined })}<button class="kw-link" type="submit">${t("site.signOut")}</button></form></div>`
}
</header>
<main id="main" class="kw-main${wide ? " kw-main--wide" : ""}" tabindex="-1">
${body}
</main>
<script type="application/json" id="keyward-config">${jsonScript(page.client)}</script>
</body>
</html>
`;
}
