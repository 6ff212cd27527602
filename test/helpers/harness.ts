import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import { createKeyward, type Keyward, type KeywardOptions } from "../../src/index.js";
import { storeOf } from "../../src/instance.js";
import { toNodeHandler } from "../../src/node.js";
import type { Store } from "../../src/store/store.js";
import type { DatabaseTarget } from "./databases.js";

export const TEST_SECRET = "test-secret-0123456789-abcdefghijklmnopqrstuvwxyz";

export interface HttpResult<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

/** What a browser keeps of a response's Set-Cookie lines: set, replaced, or expired (deleted). */
export function keepCookies(cookies: Map<string, string>, headers: Headers): void {
  for (const line of headers.getSetCookie()) {
    const [pair] = line.split(";");
    const index = pair!.indexOf("=");
    const name = pair!.slice(0, index);
    const value = pair!.slice(index + 1);
    if (/Max-Age=0(;|$)/.test(line) || value === "") cookies.delete(name);
    else cookies.set(name, value);
  }
}

/** The Cookie header a browser would send with these cookies. */
export function cookieHeader(cookies: Map<string, string>): string {
  return [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
}

/** A browser-like client: keeps cookies, sends JSON, reads JSON. */
export class TestClient {
  readonly cookies = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    readonly prefix = "/auth",
  ) {}

  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpResult<T>> {
    const cookie = cookieHeader(this.cookies);
    const init: RequestInit = {
      method,
      headers: {
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...(cookie ? { cookie } : {}),
        ...headers,
      },
      ...(body !== undefined
        ? { body: typeof body === "string" ? body : JSON.stringify(body) }
        : {}),
    };
    const response = await fetch(`${this.baseUrl}${this.prefix}${path}`, init);
    keepCookies(this.cookies, response.headers);
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  post<T = Record<string, unknown>>(
    path: string,
    body: unknown = {},
    headers?: Record<string, string>,
  ) {
    return this.request<T>("POST", path, body, headers);
  }

  get<T = Record<string, unknown>>(path: string, headers?: Record<string, string>) {
    return this.request<T>("GET", path, undefined, headers);
  }
}

export interface Harness {
  auth: Keyward;
  /** The instance's store (internal to Keyward): to arrange a case and check what it wrote. */
  store: Store;
  clock: ManualClock;
  baseUrl: string;
  origin: string;
  /** The private database URL (for PostgreSQL, it names the schema). */
  databaseUrl: string;
  client(): TestClient;
  close(): Promise<void>;
}

/** A Keyward instance on a private database, served over real HTTP on a loopback port. */
export async function startHarness(
  target: DatabaseTarget,
  options: Partial<KeywardOptions> = {},
): Promise<Harness> {
  const url = target.url();
  const clock = new ManualClock(Date.now());
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://localhost:${port}`;
  const auth = await createKeyward({
    rp: { id: "localhost", name: "Keyward Test", origins: [origin] },
    database: url,
    secret: TEST_SECRET,
    clock,
    env: {},
    ...options,
  });
  server.on("request", toNodeHandler(auth));
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    auth,
    store: storeOf(auth),
    clock,
    baseUrl,
    origin,
    databaseUrl: url,
    client: () => new TestClient(baseUrl, auth.config.prefix),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await auth.close();
      await target.drop(url);
    },
  };
}

/**
 * The harness of the suite this is called in: started before its first test, closed after its
 * last. It stands in for the started harness, so a suite reads
 * `describe.each(targets)("… on $name", (target) => { const h = useHarness(target, {…}); … })`.
 * Options may be a function when they need awaiting (a Redis URL).
 */
export function useHarness(
  target: DatabaseTarget,
  options:
    | Partial<KeywardOptions>
    | (() => Partial<KeywardOptions> | Promise<Partial<KeywardOptions>>) = {},
): Harness {
  let started: Harness | undefined;
  beforeAll(async () => {
    started = await startHarness(target, typeof options === "function" ? await options() : options);
  });
  afterAll(async () => {
    await started?.close();
  });
  const current = (): Harness => {
    if (!started)
      throw new Error("the suite's harness starts in beforeAll: use it in a test or hook");
    return started;
  };
  return {
    get auth() {
      return current().auth;
    },
    get store() {
      return current().store;
    },
    get clock() {
      return current().clock;
    },
    get baseUrl() {
      return current().baseUrl;
    },
    get origin() {
      return current().origin;
    },
    get databaseUrl() {
      return current().databaseUrl;
    },
    client: () => current().client(),
    close: () => current().close(),
  };
}
