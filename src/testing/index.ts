export { ManualClock } from "../core/clock.js";
export type {
  AuthenticationOverrides,
  AuthenticatorErrorName,
  AuthenticatorTransportFuture,
  CeremonyOverrides,
  HeldCredential,
  RegistrationOverrides,
  ResolvedSoftwareAuthenticatorOptions,
  SoftwareAlgorithm,
  SoftwareAuthenticatorOptions,
} from "./authenticator.js";
export { AuthenticatorError, SoftwareAuthenticator } from "./authenticator.js";
