/**
 * keyward/browser against a stand-in browser: what the client hands to
 * navigator.credentials, for what the server sent. The WebAuthn calls are recorded, and
 * answered with well-formed (unsigned) credentials; the server's answers are scripted, so
 * these tests are about the client's mapping only (the ceremonies themselves are driven for
 * real by the integration and e2e suites).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { KeywardClient } from "../../src/browser/client.js";
import { tryPasskeyUpgrade, UPGRADE_TRIED } from "../../src/browser/pages.js";

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
    toJSON: () => ({ id: "Y3JlZA", rawId: "Y3JlZA", type: "public-key", response: {} }),
  };
}

describe("keyward/browser in a stand-in browser", () => {
  const browserCalls: { kind: "create" | "get"; options: CredentialCreationOptions }[] = [];
  const saved = { pkc: globalThis.PublicKeyCredential, navigator: globalThis.navigator };
  /** What getClientCapabilities answers; undefined: the browser lacks the method. */
  let capabilities: Record<string, boolean> | undefined;
  /** The error create() rejects with, if any (a password manager declining). */
  let createFails: Error | undefined;
  /** A conditional create waits until its signal aborts. */
  let waitForAbort = false;

  beforeEach(() => {
    browserCalls.length = 0;
    capabilities = undefined;
    createFails = undefined;
    waitForAbort = false;
    class FakePublicKeyCredential {}
    Object.defineProperty(FakePublicKeyCredential, "getClientCapabilities", {
      get: () => (capabilities ? async () => capabilities : undefined),
    });
    // What Level 3 browsers do: options JSON to options (the challenge as bytes).
    Object.defineProperty(FakePublicKeyCredential, "parseCreationOptionsFromJSON", {
      value: (json: { challenge: string }) => ({ ...json, challenge: bytes(json.challenge) }),
    });
    Object.defineProperty(globalThis, "PublicKeyCredential", {
      value: FakePublicKeyCredential,
      configurable: true,
      writable: true,
    });
    Object.defineProperty(globalThis, "navigator", {
      value: {
        credentials: {
          create: async (options: CredentialCreationOptions) => {
            browserCalls.push({ kind: "create", options });
            if (createFails) throw createFails;
            if (waitForAbort && (options as { mediation?: string }).mediation === "conditional") {
              // A password manager still deciding: only the signal ends it.
              await new Promise((_, reject) =>
                options.signal?.addEventListener("abort", () => reject(new Error("aborted"))),
              );
            }
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

  it("enrols a key for a held-back sign-in with its pending state, and is signed in by it", async () => {
    const calls: Call[] = [];
    const session = { aal: 2, amr: ["pwd", "hwk"] };
    const client = clientAnswering(
      {
        "/wan-register": { options: creationOptions, state: "register-1" },
        "/wan-register-response": { user: { id: "u1" }, session },
      },
      calls,
    );
    const result = await client.enrolKey({ state: "pending-1" });
    expect(calls[0]).toEqual({
      path: "/wan-register",
      body: { state: "pending-1", usage: "secondary" },
    });
    expect(browserCalls.map((c) => c.kind)).toEqual(["create"]);
    expect(calls[1]?.path).toBe("/wan-register-response");
    expect(calls[1]?.body).toMatchObject({ state: "register-1", credential: { id: "Y3JlZA" } });
    expect(result).toEqual({ status: "signed-in", user: { id: "u1" }, session });
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
  it("asks the server for no upgrade where the browser cannot create without a prompt", async () => {
    const calls: Call[] = [];
    const client = clientAnswering({}, calls);
    expect(await client.upgradeToPasskey()).toBeNull();
    capabilities = { conditionalCreate: false, conditionalGet: true };
    expect(await client.upgradeToPasskey()).toBeNull();
    expect(calls).toEqual([]);
    expect(browserCalls).toEqual([]);
  });

  it("creates the upgrade's passkey with conditional mediation and stores it", async () => {
    capabilities = { conditionalCreate: true };
    const calls: Call[] = [];
    const key = { id: "k1", createdBy: "upgrade" };
    const client = clientAnswering(
      {
        "/wan-upgrade": { options: { ...creationOptions, hints: undefined }, state: "s3" },
        "/wan-register-response": { credential: key },
      },
      calls,
    );
    expect(await client.upgradeToPasskey()).toEqual(key);
    expect(browserCalls).toHaveLength(1);
    expect((browserCalls[0]!.options as { mediation?: string }).mediation).toBe("conditional");
    expect(browserCalls[0]!.options.publicKey?.challenge).toBeInstanceOf(ArrayBuffer);
    expect(calls[1]!.body.credential).toMatchObject({ id: "Y3JlZA", type: "public-key" });
    expect(calls.map((call) => call.path)).toEqual(["/wan-upgrade", "/wan-register-response"]);
    expect(calls[1]!.body.state).toBe("s3");
  });

  it("lets a ceremony the user starts cancel an upgrade still waiting, never the reverse", async () => {
    capabilities = { conditionalCreate: true };
    waitForAbort = true;
    const calls: Call[] = [];
    const client = clientAnswering(
      {
        "/wan-upgrade": { options: creationOptions, state: "s5" },
        "/wan-register": { options: creationOptions, state: "s6" },
        "/wan-register-response": { credential: { id: "mine" } },
      },
      calls,
    );
    const upgrade = client.upgradeToPasskey();
    await expect.poll(() => browserCalls.length).toBe(1);
    await expect(client.register({ usage: "first" })).resolves.toEqual({ id: "mine" });
    await expect(upgrade).resolves.toBeNull();
    // Only the user's key was sent to the server.
    const sent = calls.filter((call) => call.path === "/wan-register-response");
    expect(sent.map((call) => call.body.state)).toEqual(["s6"]);
  });

  it("stays silent when the password manager makes no passkey", async () => {
    capabilities = { conditionalCreate: true };
    createFails = Object.assign(new Error("declined"), { name: "NotAllowedError" });
    const calls: Call[] = [];
    const client = clientAnswering(
      { "/wan-upgrade": { options: creationOptions, state: "s4" } },
      calls,
    );
    expect(await client.upgradeToPasskey()).toBeNull();
    expect(calls.map((call) => call.path)).toEqual(["/wan-upgrade"]);
  });
});

describe("the pages' automatic passkey upgrade", () => {
  function storage() {
    const items = new Map<string, string>();
    return {
      items,
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => void items.set(k, v),
      removeItem: (k: string) => void items.delete(k),
    };
  }
  function fakeClient(key: { id: string } | null) {
    const client = {
      tries: 0,
      upgradeToPasskey: async () => {
        client.tries += 1;
        return key as never;
      },
    };
    return client;
  }

  it("tries only where the server offers it, once per sign-in", async () => {
    const tab = storage();
    const client = fakeClient({ id: "k1" });
    const added: string[] = [];
    const onAdded = (key: { id: string }) => added.push(key.id);

    await tryPasskeyUpgrade(client, { page: "account", passkeyUpgrade: false }, tab, onAdded);
    expect(client.tries).toBe(0);

    await tryPasskeyUpgrade(client, { page: "account", passkeyUpgrade: true }, tab, onAdded);
    await tryPasskeyUpgrade(client, { page: "app", passkeyUpgrade: true }, tab, onAdded);
    expect(client.tries).toBe(1);
    expect(added).toEqual(["k1"]);
    expect(tab.items.get(UPGRADE_TRIED)).toBe("1");

    // The sign-in page starts a new sign-in: the next one may try again.
    await tryPasskeyUpgrade(client, { page: "login", passkeyUpgrade: false }, tab, onAdded);
    await tryPasskeyUpgrade(client, { page: "account", passkeyUpgrade: true }, tab, onAdded);
    expect(client.tries).toBe(2);
  });

  it("says nothing when no passkey was made or the server refused", async () => {
    const added: unknown[] = [];
    const declined = fakeClient(null);
    await tryPasskeyUpgrade(declined, { page: "app", passkeyUpgrade: true }, storage(), (k) =>
      added.push(k),
    );
    const refused = {
      upgradeToPasskey: async () => {
        throw new Error("PASSKEY_UPGRADE_UNAVAILABLE");
      },
    };
    await expect(
      tryPasskeyUpgrade(refused, { page: "app", passkeyUpgrade: true }, storage(), (k) =>
        added.push(k),
      ),
    ).resolves.toBeNull();
    expect(declined.tries).toBe(1);
    expect(added).toEqual([]);
  });
});
