import { lazyImport } from "../core/lazy.js";

/**
 * @simplewebauthn/server, imported on the first WebAuthn ceremony rather than at start. Both of
 * its entry points (the root and `/helpers`) load its whole attestation and metadata stack
 * (X.509 and ASN.1 parsers, tsyringe, reflect-metadata), which a server that has served no
 * ceremony yet need not hold.
 */
export type WebauthnServer = typeof import("@simplewebauthn/server");
export type WebauthnHelpers = typeof import("@simplewebauthn/server/helpers");

export interface WebauthnLibrary {
  server: WebauthnServer;
  helpers: WebauthnHelpers;
}

/** The library, imported once per process. */
export const webauthnLibrary = lazyImport<WebauthnLibrary>(async () => {
  const [server, helpers] = await Promise.all([
    import("@simplewebauthn/server"),
    import("@simplewebauthn/server/helpers"),
  ]);
  return { server, helpers };
});
