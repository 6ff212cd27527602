/**
 * keyward/browser against a stand-in browser: what the client hands to
 * navigator.credentials, for what the server sent. The WebAuthn calls are recorded, and
 * answered with well-formed (unsigned) credentials; the server's answers are scripted, so
 * these tests are about the client's mapping only (the ceremonies themselves are driven for
 * real by the integration and e2e suites).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { KeywardClient } from "../../src/browser/client.js";

type Call = { path: string; body: Record<string, unknown> };

const bytes = (text: string) => new TextEncoder().encode(text).buffer;

/** A credential as navigator.credentials returns it, enough for @simplewebauthn/browser. */
function fakeCredential(kind: "create" | "get") {
  const response =
    kind === "create"
      ? { attestationObject: bytes("att"), clientDataJSON: bytes("{}"), getTransports: () => [] }
      : {
          authenticatorData: bytes("auth"),
          clientDataJSON: bytes("{}"),
          signature: bytes("sig"),
          userHandle: null,
        };
  return {
    id: "Y3JlZA",
    rawId: bytes("cred"),
    type: "public-key",
    response,
    authenticatorAttachment: "platform",
    getClientExtensionResults: () => ({}),
  };
}

describe("keyward/browser hands the server's options to the browser", () => {
  const browserCalls: { kind: "create" | "get"; options: CredentialCreationOptions }[] = [];
  const saved = { pkc: globalThis.PublicKeyCredential, navigator: globalThis.navigator };

  beforeEach(() => {
    browserCalls.length = 0;
    Object.defineProperty(globalThis, "PublicKeyCredential", {
      value: class {},
      configurable: true,
      writable: true,
    });
    Object.defineProperty(globalThis, "navigator", {
      value: {
        credentials: {
          create: async (options: CredentialCreationOptions) => {
            browserCalls.push({ kind: "create", options });
            return fakeCredential("create");
          },
          get: async (options: CredentialCreationOptions) => {
            browserCalls.push({ kind: "get", options });
            return fakeCredential("get");
          },
        },
      },
      configurable: true,
      writable: true,
    });
  });

  afterEach(() => {
    Object.defineProperty(globalThis, "PublicKeyCredential", {
      value: saved.pkc,
      configurable: true,
      writable: true,
    });
    Object.defineProperty(globalThis, "navigator", {
      value: saved.navigator,
      configurable: true,
      writable: true,
    });
  });

  /** A client whose server answers each path with `answers[path]`, recording what it was sent. */
  function clientAnswering(answers: Record<string, unknown>, calls: Call[] = []) {
    const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const path = String(input).replace(/^\/auth/, "");
      calls.push({ path, body: init?.body ? JSON.parse(String(init.body)) : {} });
      if (!(path in answers)) return new Response("{}", { status: 404 });
      return Response.json(answers[path]);
    };
    return new KeywardClient({ fetch: fetch as typeof globalThis.fetch });
  }

  const creationOptions = {
    challenge: "Y2hhbGxlbmdl",
    rp: { name: "Test", id: "localhost" },
    user: { id: "dXNlcg", name: "a@example.com", displayName: "a@example.com" },
    pubKeyCredParams: [{ alg: -7, type: "public-key" }],
    authenticatorSelection: { authenticatorAttachment: "cross-platform" },
    hints: ["hybrid"],
  };

  it("passes a registration's hints and the chosen placement through", async () => {
    const calls: Call[] = [];
    const client = clientAnswering(
      {
        "/wan-register": { options: creationOptions, state: "s1" },
        "/wan-register-response": { credential: { id: "k1" } },
      },
      calls,
    );
    await client.register({ usage: "first", attachment: "hybrid" });
    expect(calls[0]).toEqual({
      path: "/wan-register",
      body: { usage: "first", attachment: "hybrid" },
    });
    expect(browserCalls).toHaveLength(1);
    const publicKey = browserCalls[0]!.options.publicKey as unknown as Record<string, unknown>;
    expect(publicKey.hints).toEqual(["hybrid"]);
    expect(publicKey.authenticatorSelection).toEqual({ authenticatorAttachment: "cross-platform" });
    expect(calls[1]?.path).toBe("/wan-register-response");
  });

  it("passes a sign-in's hints through", async () => {
    const client = clientAnswering({
      "/wan-signin": {
        options: { challenge: "Y2hhbGxlbmdl", rpId: "localhost", hints: ["security-key"] },
        state: "s2",
      },
      "/wan-signin-response": { user: {}, session: {} },
    });
    await client.signIn({ identity: "a@example.com" });
    const publicKey = browserCalls[0]!.options.publicKey as unknown as Record<string, unknown>;
    expect(browserCalls[0]!.kind).toBe("get");
    expect(publicKey.hints).toEqual(["security-key"]);
  });
});
