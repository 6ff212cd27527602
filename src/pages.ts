/**
 * keyward/pages: the building blocks of the default HTML pages, for apps that replace a page or
 * the layout (`createKeyward({ pages: { render, layout, messages } })`, see docs/pages.md).
 *
 * @example
 * import { html, type PageProps } from "keyward/pages";
 * const login = (p: PageProps["login"]) => p.layout({ page: p, title: "Sign in", body: html`…` });
 */
export {
  type AccountKey,
  type AccountProps,
  type AppFactorChoice,
  alerts,
  amrInWords,
  defaultMessages,
  defaultPages,
  formState,
  html,
  jsonScript,
  type Layout,
  type LayoutProps,
  type LoginProps,
  layout,
  type MessageKey,
  type Messages,
  type PageBase,
  type PageName,
  type PageProps,
  type PageRenderer,
  type PageRenderers,
  type PagesOptions,
  type RecoveryCodesProps,
  type RegisterPasskeyProps,
  type RegisterProps,
  raw,
  SafeHtml,
  type SecondFactorCodeProps,
  type SecondFactorProps,
  type SetupCodeProps,
  type TotpSetupProps,
  type VerifyProps,
} from "./views/index.js";
