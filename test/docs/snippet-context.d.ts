// What the documentation's code snippets take as already in scope: the app's own objects
// (`auth`, `app`, a mailer), values a step before made (`state`, `options`), and imports a
// fragment leaves out. A snippet that uses Keyward's API wrongly still fails to compile.

import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import type { Express, RequestHandler } from "express";
import type {
  createKeyward as CreateKeyward,
  KeywardEventMap as EventMap,
  KeywardEventType as EventType,
  Keyward,
  Mailer,
  SmsSender,
} from "keyward";
import type {
  checkResponse as CheckResponse,
  KeywardClient,
  reauthenticate as Reauthenticate,
  SessionInfo as Session,
  support as Support,
  UserInfo as User,
} from "keyward/browser";
import type { toNodeHandler as ToNodeHandler } from "keyward/node";
import type { SoftwareAuthenticator } from "keyward/testing";

declare global {
  // Imports a fragment leaves out.
  const createKeyward: typeof CreateKeyward;
  const toNodeHandler: typeof ToNodeHandler;
  const support: typeof Support;
  const checkResponse: typeof CheckResponse;
  const reauthenticate: typeof Reauthenticate;
  type ActiveSession = NonNullable<Awaited<ReturnType<Keyward["api"]["getSession"]>>>;
  type UserInfo = User;
  type SessionInfo = Session;
  type KeywardEventType = EventType;
  type KeywardEventMap = EventMap;

  // The app's own objects.
  const auth: Keyward;
  const app: Express;
  const handler: RequestHandler;
  const secret: string;
  const client: KeywardClient;
  const myMailer: Mailer;
  const mailer: Mailer;
  const mySmsSender: SmsSender;
  const smtp: {
    sendMail(message: { to: string; subject: string; text: string }): Promise<unknown>;
  };
  function sendTemplate(name: string, to: string, vars: Record<string, unknown>): Promise<void>;
  const metrics: { increment(name: string, tags?: Record<string, string>): void };
  const billing: RequestHandler;
  function show(message: string): void;
  function isAdmin(userId: string): boolean;
  function knownDevice(userId: string, userAgent: string | null): boolean;
  function notify(userId: string | null, text: string): Promise<void>;
  const passkeyButton: HTMLElement;
  const thisDeviceOption: HTMLElement;

  // Values an earlier step produced.
  const userId: string;
  const state: string;
  const body: string;
  const authenticator: SoftwareAuthenticator;
  const options: Parameters<SoftwareAuthenticator["authenticate"]>[0];
  function post(
    path: string,
    body: unknown,
  ): Promise<{ webauthn: { options: PublicKeyCredentialRequestOptionsJSON; state: string } }>;
  const startAuthentication: typeof import("@simplewebauthn/browser").startAuthentication;
}
