import {
  type AuthenticationResponseJSON,
  browserSupportsWebAuthn,
  browserSupportsWebAuthnAutofill,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  platformAuthenticatorIsAvailable,
  startAuthentication,
  startRegistration,
  WebAuthnAbortService,
} from "@simplewebauthn/browser";
import type { Usage } from "../core/types.js";
import type {
  CodeSignInStartJson,
  CredentialJson,
  PasskeySignalsJson,
  SecondFactorOwedJson,
  SessionJson,
  UserJson,
} from "../http/responses.js";
import type { ClientMessageKey } from "../i18n/catalogue.js";
import { clientEn } from "../i18n/locales/en-client.js";
import { ceremonyError, KeywardClientError, serverError } from "./errors.js";

export interface KeywardClientOptions {
  /** Where Keyward is mounted on this origin (default "/auth"). */
  prefix?: string;
  /**
   * Messages for errors, e.g. translations (default: the English catalogue). The default pages
   * pass their language's; an app's own pages pass `client.*` texts of its language.
   */
  messages?: Partial<Record<ClientMessageKey, string>>;
  /**
   * The language of the server's error messages, sent as `Accept-Language` (default: the
   * browser's own header). Pair it with `messages` in the same language.
   */
  locale?: string;
  /** The fetch to use (default: the global fetch, same-origin cookies). */
  fetch?: typeof fetch;
  /**
   * How this client holds its session (default "cookie"): "token" asks every sign-in for a
   * bearer token (the server needs `session.bearer`), keeps it in memory only, and sends it as
   * `Authorization: Bearer` with no cookies: for an app on another origin (`prefix` may then be
   * a full URL). See docs/tokens.md.
   */
  session?: "cookie" | "token";
}

/**
 * How a session looks to its owner: the server's declaration of its JSON (http/responses.ts),
 * so the two cannot drift; `limited` is set on an account-recovery session.
 */
export type SessionInfo = SessionJson;

/** The signed-in user as the server sends it (http/responses.ts). */
export type UserInfo = UserJson;

/** A key as its owner sees it (http/responses.ts). */
export type KeyInfo = CredentialJson;

type SecondFactorMethod = SecondFactorOwedJson["methods"][number];

/** A sign-in step's result: signed in, or a second factor is still owed. */
export type SignInResult =
  | { status: "signed-in"; user: UserInfo; session: SessionInfo }
  | { status: "second-factor"; methods: SecondFactorMethod[]; state: string };

/** What this browser can do, to hide what cannot work. */
export interface Support {
  /** WebAuthn is available (passkeys and security keys). */
  webauthn: boolean;
  /** A user-verifying platform authenticator (Touch ID, Windows Hello, Android screen lock). */
  platformAuthenticator: boolean;
  /** Passkey autofill (conditional mediation) on inputs with `autocomplete="username webauthn"`. */
  autofill: boolean;
}

export interface RegisterInput {
  /** A name to tell the key apart, e.g. "Work laptop" (default: the authenticator's model). */
  name?: string;
  /** "first": a passkey that signs in; "secondary": a second factor after a password. */
  usage: Usage;
  /**
   * Where the key should live: this device ("platform"), a security key ("cross-platform") or
   * a phone or tablet nearby ("hybrid"). The server turns it into WebAuthn hints.
   */
  attachment?: "platform" | "cross-platform" | "hybrid";
}

type Json = Record<string, unknown>;

/** What /code-signin answers: the state to send back with the code, and until when it is good. */
export type CodeSignInStart = CodeSignInStartJson;

/** A sign-in route's answer as a SignInResult. */
function toSignInResult(result: Json): SignInResult {
  if (result.twoFactorRequired === true) {
    return {
      status: "second-factor",
      methods: result.methods as SecondFactorMethod[],
      state: result.state as string,
    };
  }
  return {
    status: "signed-in",
    user: result.user as UserInfo,
    session: result.session as SessionInfo,
  };
}

/** "Remember me" as a sign-in body field: left out when unsaid (the server's default). */
function rememberField(remember: boolean | undefined): { remember?: boolean } {
  return remember === undefined ? {} : { remember };
}

/**
 * The browser half of Keyward: runs WebAuthn ceremonies against the JSON API with
 * @simplewebauthn/browser and turns every failure into a KeywardClientError with a clear message.
 */
export class KeywardClient {
  readonly prefix: string;
  private readonly messages: Record<ClientMessageKey, string>;
  private readonly fetcher: typeof fetch;
  /** A passkey upgrade's conditional create still waiting (upgradeToPasskey). */
  private upgrading: AbortController | undefined;
  private readonly tokens: boolean;
  private readonly language: Record<string, string>;
  /** With `session: "token"`: the session's token, or a pending sign-in's, in memory only. */
  private held: string | undefined;

  constructor(options: KeywardClientOptions = {}) {
    this.prefix = (options.prefix ?? "/auth").replace(/\/+$/, "");
    this.messages = { ...clientEn, ...options.messages };
    this.fetcher = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.tokens = options.session === "token";
    this.language = options.locale ? { "accept-language": options.locale } : {};
  }

  /**
   * With `session: "token"`: the bearer this client holds (the session's, or a pending
   * sign-in's), for the app's own API calls; undefined otherwise or when signed out.
   */
  get bearerToken(): string | undefined {
    return this.held;
  }

  /** The message for a catalogue key (with this client's overrides). */
  message(key: ClientMessageKey): string {
    return this.messages[key];
  }

  /** What this browser supports; use it to show only the options that can work. */
  async support(): Promise<Support> {
    const webauthn = browserSupportsWebAuthn();
    if (!webauthn) return { webauthn, platformAuthenticator: false, autofill: false };
    const [platformAuthenticator, autofill] = await Promise.all([
      platformAuthenticatorIsAvailable().catch(() => false),
      browserSupportsWebAuthnAutofill().catch(() => false),
    ]);
    return { webauthn, platformAuthenticator, autofill };
  }

  /**
   * Tells the browser's passkey provider which of this user's passkeys the site still accepts
   * and the user's current name (WebAuthn Signal API), so deleted keys and old addresses
   * disappear from its list. Feature-detected: a no-op where the browser lacks the API.
   * Returns which signals were sent.
   */
  async syncPasskeys(): Promise<{ acceptedCredentials: boolean; userDetails: boolean }> {
    const pkc = globalThis.PublicKeyCredential as unknown as SignalApi | undefined;
    const sent = { acceptedCredentials: false, userDetails: false };
    if (!pkc?.signalAllAcceptedCredentials && !pkc?.signalCurrentUserDetails) return sent;
    const signals = await this.get<PasskeySignalsJson>("/wan-signal");
    const { rpId, userId } = signals;
    if (pkc.signalAllAcceptedCredentials) {
      await pkc
        .signalAllAcceptedCredentials({
          rpId,
          userId,
          allAcceptedCredentialIds: signals.allAcceptedCredentialIds,
        })
        .then(() => (sent.acceptedCredentials = true))
        .catch(() => {});
    }
    if (pkc.signalCurrentUserDetails) {
      await pkc
        .signalCurrentUserDetails({
          rpId,
          userId,
          name: signals.name,
          displayName: signals.displayName,
        })
        .then(() => (sent.userDetails = true))
        .catch(() => {});
    }
    return sent;
  }

  /** Registers a new key for the signed-in user (needs a fresh session). */
  async register(input: RegisterInput): Promise<KeyInfo> {
    return (await this.registerKey(input)).credential;
  }

  /**
   * Registers a new key, and returns the recovery codes that come with the account's first
   * second-factor key (show them: they are never sent again).
   */
  async registerKey(
    input: RegisterInput,
  ): Promise<{ credential: KeyInfo; recoveryCodes?: string[] }> {
    this.requireWebAuthn();
    const { options, state } = await this.post<{
      options: PublicKeyCredentialCreationOptionsJSON;
      state: string;
    }>("/wan-register", { ...input });
    const credential = await this.ceremony(options.timeout, () =>
      startRegistration({ optionsJSON: options }),
    );
    return this.post<{ credential: KeyInfo; recoveryCodes?: string[] }>("/wan-register-response", {
      state,
      credential,
    });
  }

  /**
   * Enrols a security key as the second factor of a sign-in held back until the account has
   * one (`setupRequired`, with `state` from it), and completes that sign-in with it.
   */
  async enrolKey(input: { state: string }): Promise<SignInResult> {
    this.requireWebAuthn();
    const { options, state } = await this.post<{
      options: PublicKeyCredentialCreationOptionsJSON;
      state: string;
    }>("/wan-register", { state: input.state, usage: "secondary" });
    const credential = await this.ceremony(options.timeout, () =>
      startRegistration({ optionsJSON: options }),
    );
    const body: Json = { state, credential };
    const result = await this.post<Json>(
      "/wan-register-response",
      this.tokens ? { ...body, session: "token" } : body,
    );
    if (this.tokens && typeof result.token === "string") this.held = result.token;
    return toSignInResult(result);
  }

  /**
   * Whether this browser can create a passkey without a prompt (WebAuthn Level 3 conditional
   * create: `PublicKeyCredential.getClientCapabilities()` says `conditionalCreate`).
   */
  async supportsConditionalCreate(): Promise<boolean> {
    const pkc = globalThis.PublicKeyCredential as unknown as
      | { getClientCapabilities?: () => Promise<Record<string, boolean | undefined>> }
      | undefined;
    if (!browserSupportsWebAuthn() || typeof pkc?.getClientCapabilities !== "function") {
      return false;
    }
    try {
      return (await pkc.getClientCapabilities()).conditionalCreate === true;
    } catch {
      return false;
    }
  }

  /**
   * Automatic passkey upgrade: call it right after a password sign-in. Where the browser can
   * create a passkey without a prompt, the password manager that filled the password is asked
   * for one (`mediation: "conditional"`), and the server stores it as a passkey of this
   * account. Resolves with the new key, or null when nothing was made: the browser cannot, or
   * the password manager declined (the user saw nothing either way). Rejects with the server's
   * refusal (e.g. `serverCode` "PASSKEY_UPGRADE_UNAVAILABLE" when the session is not one a
   * password just earned, or the account already has a passkey).
   */
  async upgradeToPasskey(): Promise<KeyInfo | null> {
    const pkc = globalThis.PublicKeyCredential as unknown as JsonOptionsApi | undefined;
    if (!(await this.supportsConditionalCreate())) return null;
    if (typeof pkc?.parseCreationOptionsFromJSON !== "function") return null;
    const { options, state } = await this.post<{
      options: PublicKeyCredentialCreationOptionsJSON;
      state: string;
    }>("/wan-upgrade", {});
    // Its own abort signal, not @simplewebauthn/browser's shared one: this quiet request must
    // never cancel a ceremony the user started; theirs cancels this one (see ceremony()).
    const controller = new AbortController();
    this.upgrading = controller;
    let credential: unknown;
    try {
      const created = await navigator.credentials.create({
        mediation: "conditional",
        publicKey: pkc.parseCreationOptionsFromJSON(options),
        signal: controller.signal,
      } as CredentialCreationOptions);
      if (!created) return null;
      credential = (created as unknown as { toJSON(): unknown }).toJSON();
    } catch {
      // No passkey made: the password manager declined, or the user did not just use it.
      return null;
    } finally {
      if (this.upgrading === controller) this.upgrading = undefined;
    }
    const { credential: key } = await this.post<{ credential: KeyInfo }>("/wan-register-response", {
      state,
      credential,
    });
    return key;
  }

  /**
   * Deletes one of the signed-in user's keys (fresh session). The account's last way to sign in
   * (no password, no other passkey) goes only with `confirmLastSignIn: true`; without it the
   * call fails with `serverCode` "LAST_SIGN_IN_METHOD", so ask the user first.
   */
  async deleteKey(input: {
    id: string;
    confirmLastSignIn?: boolean;
  }): Promise<{ signedOut: boolean; twoFactorDisabled: boolean; leftWithoutSignIn: boolean }> {
    return this.post("/wan-delete", {
      id: input.id,
      ...(input.confirmLastSignIn ? { confirm: "last-sign-in-method" } : {}),
    });
  }

  /**
   * Signs in with a passkey. With `identity` (and user hints on) only that account's keys are
   * offered; without, the browser lists the passkeys it holds for this site.
   */
  async signIn(input: { identity?: string; remember?: boolean } = {}): Promise<SignInResult> {
    this.requireWebAuthn();
    const identity = input.identity?.trim();
    return this.assert(
      "/wan-signin",
      identity ? { identity } : {},
      "/wan-signin-response",
      rememberField(input.remember),
    );
  }

  /**
   * Sends a sign-in code by email or SMS (`signIn.codes` on the server). The answer is the
   * same whether or not `identity` has an account; keep `state` for signInWithCode.
   */
  async sendSignInCode(input: {
    identity: string;
    channel: "email" | "sms";
  }): Promise<CodeSignInStart> {
    return this.post<CodeSignInStart>("/code-signin", input);
  }

  /**
   * Signs in with the code sendSignInCode sent. `remember: false` asks for a browser session
   * (default: the long one). A second factor may still be owed ("second-factor").
   */
  async signInWithCode(input: {
    state: string;
    code: string;
    remember?: boolean;
  }): Promise<SignInResult> {
    const { state, code } = input;
    return toSignInResult(
      await this.post<Json>("/code-signin-validate", {
        state,
        code,
        ...rememberField(input.remember),
      }),
    );
  }

  /**
   * Passkey autofill: waits until the user picks a passkey from the autofill list of an
   * `<input autocomplete="username webauthn">`, then signs in. Rejects with code "ABORTED" when
   * another ceremony (e.g. the passkey button) takes over, and "UNSUPPORTED" without autofill.
   */
  async signInWithAutofill(
    input: { remember?: boolean | (() => boolean | undefined) } = {},
  ): Promise<SignInResult> {
    if (!browserSupportsWebAuthn() || !(await browserSupportsWebAuthnAutofill())) {
      throw new KeywardClientError("UNSUPPORTED", this.message("client.unsupported"));
    }
    const { options, state } = await this.post<{
      options: PublicKeyCredentialRequestOptionsJSON;
      state: string;
    }>("/wan-signin", {});
    const credential = await this.ceremony(undefined, () =>
      startAuthentication({ optionsJSON: options, useBrowserAutofill: true }),
    );
    // Read when the user picks a passkey: a "Remember me" box may have changed since.
    const remember = typeof input.remember === "function" ? input.remember() : input.remember;
    return this.finishAssertion(
      "/wan-signin-response",
      { state, credential, ...rememberField(remember) },
      options.rpId,
    );
  }

  /** Re-verifies the signed-in user with one of their keys: the session becomes fresh. */
  async verify(): Promise<{ session: SessionInfo }> {
    this.requireWebAuthn();
    const { options, state } = await this.post<{
      options: PublicKeyCredentialRequestOptionsJSON;
      state: string;
    }>("/wan-verify", {});
    const credential = await this.ceremony(options.timeout, () =>
      startAuthentication({ optionsJSON: options }),
    );
    const verified = await this.post<{ session: SessionInfo; token?: string }>(
      "/wan-verify-response",
      { state, credential },
    );
    if (verified.token !== undefined) this.held = verified.token;
    return { session: verified.session };
  }

  /**
   * Proves AAL2 again after it lapsed with time (a REAUTHENTICATION_REQUIRED refusal): a
   * verify ceremony with one of the user's passkeys, with user verification. Rejects with
   * code "REAUTHENTICATION_REQUIRED" when the key used could not restore AAL2 (a security key
   * without a PIN, say): then the user signs in again.
   */
  async reauthenticate(): Promise<{ session: SessionInfo }> {
    const result = await this.verify();
    if (result.session.aal < 2) {
      throw new KeywardClientError(
        "REAUTHENTICATION_REQUIRED",
        this.message("client.reauthenticate"),
      );
    }
    return result;
  }

  /**
   * Resolves with `response` when it is a success; otherwise rejects with the
   * KeywardClientError its Keyward error JSON says, for the app's own routes guarded with
   * `auth.require()`: e.g. code "REAUTHENTICATION_REQUIRED" when AAL2 lapsed.
   */
  async checkResponse(response: Response): Promise<Response> {
    if (response.ok) return response;
    const body = await response
      .clone()
      .json()
      .catch(() => undefined);
    throw serverError(response.status, body, (key) => this.message(key));
  }

  /**
   * Completes a pending sign-in (`state` from a sign-in that answered "second-factor") with one
   * of the user's security keys.
   */
  async secondFactor(input: { state: string; rememberDevice?: boolean }): Promise<SignInResult> {
    this.requireWebAuthn();
    return this.assert("/wan-signin", { secondFactorState: input.state }, "/wan-signin-response", {
      secondFactorState: input.state,
      // Skip the second factor on this browser for a while (twoFactor.rememberDevice).
      ...(input.rememberDevice ? { rememberDevice: true } : {}),
    });
  }

  /**
   * Signs out: ends the session on the server (POST /logout) and, with `session: "token"`,
   * forgets the token this client held, so nothing sends it again.
   */
  async signOut(): Promise<void> {
    try {
      await this.post("/logout", {});
    } finally {
      this.held = undefined;
    }
  }

  /** Stops the ceremony in progress (its promise rejects with code "ABORTED"). */
  cancel(): void {
    WebAuthnAbortService.cancelCeremony();
  }

  private async assert(
    startPath: string,
    startBody: Json,
    finishPath: string,
    finishExtra: Json,
  ): Promise<SignInResult> {
    const { options, state } = await this.post<{
      options: PublicKeyCredentialRequestOptionsJSON;
      state: string;
    }>(startPath, startBody);
    const credential = await this.ceremony(options.timeout, () =>
      startAuthentication({ optionsJSON: options }),
    );
    return this.finishAssertion(finishPath, { ...finishExtra, state, credential }, options.rpId);
  }

  private async finishAssertion(
    path: string,
    body: Json & { credential: AuthenticationResponseJSON },
    rpId: string | undefined,
  ): Promise<SignInResult> {
    try {
      const result = await this.post<Json>(
        path,
        this.tokens ? { ...body, session: "token" } : body,
      );
      // A token client holds what continues it: the pending token, then the session's.
      const token = result.pendingToken ?? result.token;
      if (this.tokens && typeof token === "string") this.held = token;
      return toSignInResult(result);
    } catch (error) {
      // The server does not know this passkey (deleted there): ask the browser to forget it.
      if (
        error instanceof KeywardClientError &&
        error.serverCode === "WEBAUTHN_UNKNOWN_CREDENTIAL"
      ) {
        signalUnknown(rpId ?? location.hostname, body.credential.id);
      }
      throw error;
    }
  }

  private requireWebAuthn(): void {
    if (!browserSupportsWebAuthn()) {
      throw new KeywardClientError("UNSUPPORTED", this.message("client.unsupported"));
    }
  }

  private async ceremony<T>(timeoutMs: number | undefined, run: () => Promise<T>): Promise<T> {
    // The user's own ceremony takes over from a quiet passkey upgrade still waiting.
    this.upgrading?.abort();
    const startedAt = Date.now();
    try {
      return await run();
    } catch (error) {
      throw ceremonyError(error, (key) => this.message(key), {
        startedAt,
        timeoutMs,
        now: Date.now(),
      });
    }
  }

  private async get<T>(path: string): Promise<T> {
    let response: Response;
    try {
      response = await this.fetcher(`${this.prefix}${path}`, {
        credentials: this.tokens ? "omit" : "same-origin",
        headers: { accept: "application/json", ...this.language, ...this.authorization() },
      });
    } catch (error) {
      throw new KeywardClientError("NETWORK", this.message("client.network"), { cause: error });
    }
    if (!response.ok) {
      throw new KeywardClientError("SERVER", this.message("client.server"), {
        status: response.status,
      });
    }
    return (await response.json()) as T;
  }

  private authorization(): Record<string, string> {
    return this.tokens && this.held !== undefined ? { authorization: `Bearer ${this.held}` } : {};
  }

  private async post<T>(path: string, body: Json): Promise<T> {
    let response: Response;
    try {
      response = await this.fetcher(`${this.prefix}${path}`, {
        method: "POST",
        credentials: this.tokens ? "omit" : "same-origin",
        headers: {
          "content-type": "application/json",
          accept: "application/json",
          ...this.language,
          ...this.authorization(),
        },
        body: JSON.stringify(body),
      });
    } catch (error) {
      throw new KeywardClientError("NETWORK", this.message("client.network"), { cause: error });
    }
    let parsed: unknown;
    try {
      parsed = await response.json();
    } catch {
      parsed = undefined;
    }
    if (!response.ok) throw serverError(response.status, parsed, (key) => this.message(key));
    return parsed as T;
  }
}

/** WebAuthn Level 3's JSON parsing on PublicKeyCredential (every browser with conditional create). */
interface JsonOptionsApi {
  parseCreationOptionsFromJSON?: (
    options: PublicKeyCredentialCreationOptionsJSON,
  ) => PublicKeyCredentialCreationOptions;
}

/** The Signal API methods of PublicKeyCredential (Chromium 132+), absent elsewhere. */
interface SignalApi {
  signalAllAcceptedCredentials?: (o: {
    rpId: string;
    userId: string;
    allAcceptedCredentialIds: string[];
  }) => Promise<void>;
  signalCurrentUserDetails?: (o: {
    rpId: string;
    userId: string;
    name: string;
    displayName: string;
  }) => Promise<void>;
}

/** Best effort: tells the browser's passkey provider that the server no longer knows this key. */
function signalUnknown(rpId: string, credentialId: string): void {
  const pkc = globalThis.PublicKeyCredential as unknown as
    | { signalUnknownCredential?: (o: { rpId: string; credentialId: string }) => Promise<void> }
    | undefined;
  pkc?.signalUnknownCredential?.({ rpId, credentialId }).catch(() => {});
}
