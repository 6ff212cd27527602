import { type AccountProps, accountPage } from "./account.js";
import type { SafeHtml } from "./html.js";
import type { Layout } from "./layout.js";
import { type LoginProps, loginPage } from "./login.js";
import type { Messages } from "./messages.js";
import { type RecoveryCodesProps, recoveryCodesPage } from "./recovery-codes.js";
import { type RegisterProps, registerPage } from "./register.js";
import {
  type SecondFactorCodeProps,
  type SecondFactorProps,
  secondFactorCodePage,
  secondFactorPage,
} from "./second-factor.js";
import { type TotpSetupProps, totpSetupPage } from "./totp-setup.js";
import { type VerifyProps, verifyPage } from "./verify.js";

/** The props each default page is rendered with. */
export interface PageProps {
  login: LoginProps;
  register: RegisterProps;
  verify: VerifyProps;
  secondFactor: SecondFactorProps;
  secondFactorCode: SecondFactorCodeProps;
  account: AccountProps;
  totpSetup: TotpSetupProps;
  recoveryCodes: RecoveryCodesProps;
}

export type PageName = keyof PageProps;

/** A page renderer: props in, a whole HTML document out. */
export type PageRenderer<K extends PageName> = (props: PageProps[K]) => SafeHtml | string;
export type PageRenderers = { [K in PageName]: PageRenderer<K> };

/** The default renderer of every page; an app replaces any of them with `pages.render`. */
export const defaultPages: PageRenderers = {
  login: loginPage,
  register: registerPage,
  verify: verifyPage,
  secondFactor: secondFactorPage,
  secondFactorCode: secondFactorCodePage,
  account: accountPage,
  totpSetup: totpSetupPage,
  recoveryCodes: recoveryCodesPage,
};

export type { AccountKey, AccountProps } from "./account.js";
export { escapeHtml, html, jsonScript, raw, SafeHtml } from "./html.js";
export type { ClientConfig, Layout, LayoutProps, PageBase } from "./layout.js";
export { alerts, formState, layout } from "./layout.js";
export type { LoginProps } from "./login.js";
export type { MessageKey, Messages, Translate } from "./messages.js";
export { en as defaultMessages } from "./messages.js";
export type { RecoveryCodesProps } from "./recovery-codes.js";
export type { RegisterProps } from "./register.js";
export type { SecondFactorCodeProps, SecondFactorProps } from "./second-factor.js";
export type { TotpSetupProps } from "./totp-setup.js";
export type { VerifyProps } from "./verify.js";

/** How an app shapes the default pages (`pages` in createKeyward's options). */
export interface PagesOptions {
  /** Serve the HTML pages and static assets (default true). The JSON API is always served. */
  enabled?: boolean;
  /** Where to go after signing in when the request names no `next` (default "/"). */
  home?: string;
  /** Replace any page: a function from its props to a whole HTML document. */
  render?: Partial<PageRenderers>;
  /** Replace the frame around every default page (header, assets, main column). */
  layout?: Layout;
  /** Translations: any subset of the message catalogue. */
  messages?: Partial<Messages>;
  /**
   * Content-Security-Policy sent with every page (default: same-origin scripts, styles and
   * forms, no framing). `false` sends none, e.g. when an override needs inline scripts.
   */
  contentSecurityPolicy?: string | false;
}
