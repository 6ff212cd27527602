import { type AccountProps, accountPage } from "./account.js";
import { type CodeSignInProps, codeSignInPage } from "./code-signin.js";
import type { SafeHtml } from "./html.js";
import type { Layout } from "./layout.js";
import {
  type ChangeEmailProps,
  type ChangePasswordProps,
  type ConfirmEmailProps,
  changeEmailPage,
  changePasswordPage,
  confirmEmailPage,
  type EmailRequestProps,
  type RecoverKeyProps,
  type RecoverLandingProps,
  type ResetPasswordProps,
  recoverKeyPage,
  recoverLandingPage,
  recoverRequestPage,
  resetPasswordPage,
  resetRequestPage,
  type SessionsProps,
  sessionsPage,
} from "./lifecycle.js";
import { type LoginProps, loginPage } from "./login.js";
import type { Messages } from "./messages.js";
import { type RecoveryCodesProps, recoveryCodesPage } from "./recovery-codes.js";
import {
  type RegisterPasskeyProps,
  type RegisterProps,
  registerPage,
  registerPasskeyPage,
} from "./register.js";
import {
  type SecondFactorCodeProps,
  type SecondFactorProps,
  secondFactorCodePage,
  secondFactorPage,
} from "./second-factor.js";
import { type SetupCodeProps, setupCodePage } from "./setup-code.js";
import { type TotpSetupProps, totpSetupPage } from "./totp-setup.js";
import { type VerifyProps, verifyPage } from "./verify.js";

/** The props each default page is rendered with. */
export interface PageProps {
  login: LoginProps;
  register: RegisterProps;
  /** `GET /register/passkey`: after a passwordless sign-up, add the passkey it signs in with. */
  registerPasskey: RegisterPasskeyProps;
  verify: VerifyProps;
  secondFactor: SecondFactorProps;
  secondFactorCode: SecondFactorCodeProps;
  /** `GET /code-signin`: enter the code /code-signin sent (`signIn.codes`). */
  codeSignIn: CodeSignInProps;
  account: AccountProps;
  totpSetup: TotpSetupProps;
  /** After `POST /tf-setup` of SMS or email: enter the code sent to finish setting it up. */
  setupCode: SetupCodeProps;
  recoveryCodes: RecoveryCodesProps;
  /** `GET /reset-password`: ask for a reset link. */
  resetRequest: EmailRequestProps;
  /** `GET /reset-password?token=`: choose the new password. */
  resetPassword: ResetPasswordProps;
  /** `GET /recover-account`: ask for a recovery link. */
  recoverRequest: EmailRequestProps;
  /** `GET /recover-account?token=`: open the recovery session (with a recovery code if asked). */
  recoverLanding: RecoverLandingProps;
  /** `GET /recover-account/key`: in the recovery session, add the new key. */
  recoverKey: RecoverKeyProps;
  /** `GET /confirm-email`: confirm with the link's token, or ask for a new link. */
  confirmEmail: ConfirmEmailProps;
  /** `GET /change-password`: change (or set a first) password. */
  changePassword: ChangePasswordProps;
  /** `GET /change-email`: ask for a link to the new address, or confirm it (`?token=`). */
  changeEmail: ChangeEmailProps;
  /** `GET /account/sessions`: where the user is signed in; sign out one or all. */
  sessions: SessionsProps;
}

export type PageName = keyof PageProps;

/** A page renderer: props in, a whole HTML document out. */
export type PageRenderer<K extends PageName> = (props: PageProps[K]) => SafeHtml | string;
export type PageRenderers = { [K in PageName]: PageRenderer<K> };

/** The default renderer of every page; an app replaces any of them with `pages.render`. */
export const defaultPages: PageRenderers = {
  login: loginPage,
  register: registerPage,
  registerPasskey: registerPasskeyPage,
  verify: verifyPage,
  secondFactor: secondFactorPage,
  secondFactorCode: secondFactorCodePage,
  codeSignIn: codeSignInPage,
  account: accountPage,
  totpSetup: totpSetupPage,
  setupCode: setupCodePage,
  recoveryCodes: recoveryCodesPage,
  resetRequest: resetRequestPage,
  resetPassword: resetPasswordPage,
  recoverRequest: recoverRequestPage,
  recoverLanding: recoverLandingPage,
  recoverKey: recoverKeyPage,
  confirmEmail: confirmEmailPage,
  changePassword: changePasswordPage,
  changeEmail: changeEmailPage,
  sessions: sessionsPage,
};

export { english as defaultMessages } from "../i18n/catalogue.js";
export type { AccountKey, AccountProps, AttachmentDefaults } from "./account.js";
export type { CodeSignInProps } from "./code-signin.js";
export { escapeHtml, html, jsonScript, raw, SafeHtml } from "./html.js";
export type { ClientConfig, Layout, LayoutProps, PageBase } from "./layout.js";
export { alerts, formState, layout } from "./layout.js";
export type {
  ChangeEmailProps,
  ChangePasswordProps,
  ConfirmEmailProps,
  EmailRequestProps,
  RecoverKeyProps,
  RecoverLandingProps,
  ResetPasswordProps,
  SessionsProps,
} from "./lifecycle.js";
export type { LoginProps } from "./login.js";
export type { MessageKey, Messages, Translate } from "./messages.js";
export { amrInWords } from "./messages.js";
export type { RecoveryCodesProps } from "./recovery-codes.js";
export type { RegisterPasskeyProps, RegisterProps } from "./register.js";
export type {
  AppFactorChoice,
  SecondFactorCodeProps,
  SecondFactorProps,
} from "./second-factor.js";
export type { SetupCodeProps } from "./setup-code.js";
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
  /**
   * Overrides of the English texts: any subset of the catalogue. Other languages, and
   * overrides of theirs, go in createKeyward's `languages` option (docs/languages.md).
   */
  messages?: Partial<Messages>;
  /**
   * Content-Security-Policy sent with every page (default: same-origin scripts, styles and
   * forms, no framing). `false` sends none, e.g. when an override needs inline scripts.
   */
  contentSecurityPolicy?: string | false;
}
