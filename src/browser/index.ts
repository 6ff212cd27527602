/**
 * keyward/browser: passkeys and security keys in the browser, against Keyward's JSON API.
 *
 *   import { register, signIn, signInWithAutofill, verify, secondFactor } from "keyward/browser";
 *
 * The functions use a client for the default prefix "/auth"; call `configure({ prefix })` first
 * to change it, or make your own with `new KeywardClient({ prefix })`. Every failure is a
 * KeywardClientError with a stable `code` and a `message` to show as is.
 */
import {
  type CodeSignInStart,
  type KeyInfo,
  KeywardClient,
  type KeywardClientOptions,
  type RegisterInput,
  type SessionInfo,
  type SignInResult,
  type Support,
  type UserInfo,
} from "./client.js";

let shared: KeywardClient | undefined;

/** Sets the options of the client behind the module functions (prefix, messages). */
export function configure(options: KeywardClientOptions): KeywardClient {
  shared = new KeywardClient(options);
  return shared;
}

function client(): KeywardClient {
  shared ??= new KeywardClient();
  return shared;
}

/** Registers a new key for the signed-in user: a passkey (`first`) or a second factor. */
export const register = (input: RegisterInput) => client().register(input);
/**
 * Signs in with a passkey (usernameless without `identity`); `remember: false` asks for a
 * browser session.
 */
export const signIn = (input?: { identity?: string; remember?: boolean }) => client().signIn(input);
/** Signs in when the user picks a passkey from an autofill list (conditional mediation). */
export const signInWithAutofill = (input?: { remember?: boolean | (() => boolean | undefined) }) =>
  client().signInWithAutofill(input);
/** Sends a sign-in code by email or SMS (the same answer for every identity). */
export const sendSignInCode = (input: { identity: string; channel: "email" | "sms" }) =>
  client().sendSignInCode(input);
/** Signs in with a code sendSignInCode sent; a second factor may still be owed. */
export const signInWithCode = (input: { state: string; code: string; remember?: boolean }) =>
  client().signInWithCode(input);
/** Re-verifies the signed-in user with a key; the session becomes fresh. */
export const verify = () => client().verify();
/** Proves AAL2 again with a passkey after it lapsed (REAUTHENTICATION_REQUIRED). */
export const reauthenticate = () => client().reauthenticate();
/** Passes a successful response through; turns a Keyward refusal into a KeywardClientError. */
export const checkResponse = (response: Response) => client().checkResponse(response);
/**
 * Completes a pending sign-in with a security key as the second factor; `rememberDevice`
 * skips the second factor on this browser for a while (twoFactor.rememberDevice).
 */
export const secondFactor = (input: { state: string; rememberDevice?: boolean }) =>
  client().secondFactor(input);
/** Signs out (POST /logout); a token client forgets its token. */
export const signOut = () => client().signOut();
/** What this browser supports: WebAuthn, a platform authenticator, passkey autofill. */
export const support = () => client().support();
/** Stops the ceremony in progress. */
export const cancel = () => client().cancel();

export type { ClientErrorCode } from "./errors.js";
export { KeywardClientError } from "./errors.js";
export {
  type CodeSignInStart,
  type KeyInfo,
  KeywardClient,
  type KeywardClientOptions,
  type RegisterInput,
  type SessionInfo,
  type SignInResult,
  type Support,
  type UserInfo,
};
