/**
 * The load generator: keep-alive HTTP on loopback, passkey ceremonies signed by the software
 * authenticator, and bounded phases (a fixed warm-up, then a fixed measured window) that stop by
 * themselves and report throughput and latency percentiles.
 */
import { connect, type Socket } from "node:net";
import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from "@simplewebauthn/server";
import { SoftwareAuthenticator } from "../src/testing/index.js";

export interface HttpReply {
  status: number;
  body: string;
  setCookie: string[];
}

const HEADER_END = Buffer.from("\r\n\r\n");
const MAX_HEAD_BYTES = 64 * 1024;
/**
 * Every connection reads into this one buffer (`onread`), so no read allocates: each response
 * is decoded, or its bytes copied, before the callback returns and the next read reuses it.
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

/**
 * One keep-alive HTTP/1.1 connection carrying one request at a time. It speaks only what the
 * bench server answers: Content-Length framed responses, no pipelining. Anything else (chunked
 * encoding, a missing length, bytes after the body, a closed socket mid-request) fails loudly.
 */
class Connection {
  readonly socket: Socket;
  /** The request in flight, if any. */
  #reply: { resolve: (reply: HttpReply) => void; reject: (error: Error) => void } | undefined;
  /** A copy of the bytes received so far when a response spans several reads. */
  #pending: Buffer | undefined;
  /** Once the head is parsed (#bodyStart >= 0): the body's range in the data, status, cookies. */
  #bodyStart = -1;
  #bodyEnd = -1;
  #status = 0;
  #setCookie: string[] = [];
  #keepAlive = true;
  dead = false;

  constructor(
    port: number,
    readonly release: (connection: Connection) => void,
    readonly dropped: (connection: Connection) => void,
  ) {
    this.socket = connect({
      host: "127.0.0.1",
      port,
      noDelay: true,
      onread: {
        buffer: READ_BUFFER,
        callback: (length) => {
          this.#onData(READ_BUFFER, length);
          return true;
        },
      },
    });
    this.socket.on("error", (error) => this.#fail(error));
    this.socket.on("close", () => this.#fail(new Error("connection closed by the server")));
  }

  send(request: string): Promise<HttpReply> {
    return new Promise((resolve, reject) => {
      this.#reply = { resolve, reject };
      // Head and body in one string: one write, one segment on the wire.
      this.socket.write(request);
    });
  }

  destroy(): void {
    this.dead = true;
    this.socket.destroy();
    const reply = this.#reply;
    this.#reply = undefined;
    reply?.reject(new Error("BenchClient is closed"));
  }

  #fail(error: Error): void {
    if (!this.dead) {
      this.dead = true;
      this.socket.destroy();
      this.dropped(this);
    }
    const reply = this.#reply;
    this.#reply = undefined;
    reply?.reject(error);
  }

  /** `buffer` is READ_BUFFER: only its first `length` bytes are this read's, and only until we return. */
  #onData(buffer: Buffer, length: number): void {
    if (this.#reply === undefined) {
      this.#fail(new Error("unexpected bytes on an idle connection"));
      return;
    }
    let data = buffer;
    let size = length;
    if (this.#pending !== undefined) {
      data = Buffer.concat([this.#pending, buffer.subarray(0, length)]);
      size = data.length;
    }
    if (this.#bodyStart < 0) {
      const headEnd = data.indexOf(HEADER_END);
      // READ_BUFFER holds stale bytes past `size`: a match must end within this data.
      if (headEnd < 0 || headEnd + 4 > size) {
        if (size > MAX_HEAD_BYTES) this.#fail(new Error("response head too large"));
        else this.#pending = data === buffer ? Buffer.from(buffer.subarray(0, size)) : data;
        return;
      }
      let bodyLength: number;
      try {
        bodyLength = this.#parseHead(data.toString("latin1", 0, headEnd));
      } catch (error) {
        this.#fail(error as Error);
        return;
      }
      this.#bodyStart = headEnd + 4;
      this.#bodyEnd = this.#bodyStart + bodyLength;
    }
    if (size < this.#bodyEnd) {
      this.#pending = data === buffer ? Buffer.from(buffer.subarray(0, size)) : data;
      return;
    }
    if (size > this.#bodyEnd) {
      this.#fail(new Error("bytes after the response body (pipelining is not supported)"));
      return;
    }
    const reply: HttpReply = {
      status: this.#status,
      body: data.toString("utf8", this.#bodyStart, this.#bodyEnd),
      setCookie: this.#setCookie,
    };
    const pending = this.#reply;
    this.#reply = undefined;
    this.#pending = undefined;
    this.#bodyStart = -1;
    this.#bodyEnd = -1;
    this.#setCookie = [];
    if (this.#keepAlive) {
      this.release(this);
    } else {
      this.dead = true;
      this.socket.destroy();
      this.dropped(this);
    }
    pending.resolve(reply);
  }

  /** Reads the status line and the headers that matter; returns the body length. */
  #parseHead(head: string): number {
    if (!head.startsWith("HTTP/1.1 ")) {
      throw new Error(`not an HTTP/1.1 response: ${head.slice(0, 40)}`);
    }
    this.#status = Number(head.slice(9, 12));
    let length = -1;
    let lineStart = head.indexOf("\r\n") + 2;
    while (lineStart > 1 && lineStart < head.length) {
      let lineEnd = head.indexOf("\r\n", lineStart);
      if (lineEnd < 0) lineEnd = head.length;
      const colon = head.indexOf(":", lineStart);
      if (colon < 0 || colon > lineEnd) {
        throw new Error(`malformed header line: ${head.slice(lineStart, lineEnd)}`);
      }
      // Only names of the lengths we look for are lowercased and compared.
      const nameLength = colon - lineStart;
      if (nameLength === 10 || nameLength === 14 || nameLength === 17) {
        const name = head.slice(lineStart, colon).toLowerCase();
        const value = head.slice(colon + 1, lineEnd).trim();
        if (name === "content-length") {
          length = /^\d+$/.test(value) ? Number(value) : -1;
        } else if (name === "set-cookie") {
          this.#setCookie.push(value);
        } else if (name === "transfer-encoding") {
          throw new Error(`unsupported transfer-encoding: ${value}`);
        } else if (name === "connection") {
          this.#keepAlive = value.toLowerCase() !== "close";
        }
      }
      lineStart = lineEnd + 2;
    }
    if (length < 0) {
      throw new Error(`response without a valid content-length (HTTP ${this.#status})`);
    }
    return length;
  }
}

/**
 * A minimal JSON client: a pool of keep-alive HTTP/1.1 connections over node:net, one request in
 * flight per connection, requests written as one preformatted string. It does a fraction of
 * node:http's per-request work, so the load generator takes less CPU from the server.
 */
export class BenchClient {
  readonly #all = new Set<Connection>();
  readonly #idle: Connection[] = [];
  /** Requests waiting for a connection (all maxSockets busy); undefined once closed. */
  readonly #waiting: Array<(connection: Connection | undefined) => void> = [];
  readonly #headers: string;
  #closed = false;

  constructor(
    readonly port: number,
    readonly prefix = "/auth",
    readonly maxSockets = 64,
  ) {
    this.#headers = `Host: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: `;
  }

  post(path: string, body: unknown, cookie?: string): Promise<HttpReply> {
    const payload = JSON.stringify(body);
    const request = `POST ${this.prefix}${path} HTTP/1.1\r\n${this.#headers}${Buffer.byteLength(payload)}\r\n${
      cookie ? `Cookie: ${cookie}\r\n` : ""
    }\r\n${payload}`;
    const idle = this.#idle.pop();
    if (idle !== undefined) return idle.send(request);
    if (this.#closed) return Promise.reject(new Error("BenchClient is closed"));
    if (this.#all.size < this.maxSockets) return this.#open().send(request);
    return new Promise<Connection | undefined>((resolve) => this.#waiting.push(resolve)).then(
      (c) => c?.send(request) ?? Promise.reject(new Error("BenchClient is closed")),
    );
  }

  close(): void {
    this.#closed = true;
    for (const connection of this.#all) connection.destroy();
    this.#all.clear();
    this.#idle.length = 0;
    for (const waiter of this.#waiting.splice(0)) waiter(undefined);
  }

  #open(): Connection {
    const connection = new Connection(
      this.port,
      (c) => this.#release(c),
      (c) => this.#drop(c),
    );
    this.#all.add(connection);
    return connection;
  }

  #release(connection: Connection): void {
    const next = this.#waiting.shift();
    if (next !== undefined) next(connection);
    else this.#idle.push(connection);
  }

  #drop(connection: Connection): void {
    this.#all.delete(connection);
    const at = this.#idle.indexOf(connection);
    if (at >= 0) this.#idle.splice(at, 1);
    // Someone waits for a connection: open a replacement for them.
    const next = this.#waiting.shift();
    if (next !== undefined && !this.#closed) next(this.#open());
  }
}

function expectStatus(reply: HttpReply, status: number, step: string): void {
  if (reply.status !== status) {
    throw new Error(`${step}: HTTP ${reply.status} ${reply.body.slice(0, 300)}`);
  }
}

const SESSION_COOKIE = "keyward_session=";

/** A user with one passkey (`first` usage, UV) registered through the real HTTP ceremony. */
export interface PasskeyHolder {
  authenticator: SoftwareAuthenticator;
}

/**
 * One registration ceremony for a signed-in user: options request, authenticator attestation
 * (a new ES256 key pair), response verification and storage. Returns the authenticator holding
 * the new passkey.
 */
export async function registerPasskey(
  client: BenchClient,
  origin: string,
  sessionToken: string,
): Promise<PasskeyHolder> {
  const cookie = `${SESSION_COOKIE}${sessionToken}`;
  const start = await client.post(
    "/wan-register",
    { name: "Bench passkey", usage: "first" },
    cookie,
  );
  expectStatus(start, 200, "wan-register");
  const { options, state } = JSON.parse(start.body) as {
    options: PublicKeyCredentialCreationOptionsJSON;
    state: string;
  };
  const authenticator = new SoftwareAuthenticator({ origin });
  const credential = await authenticator.register(options);
  const done = await client.post("/wan-register-response", { state, credential }, cookie);
  expectStatus(done, 201, "wan-register-response");
  return { authenticator };
}

/**
 * One usernameless passkey sign-in: options request, authenticator assertion, response
 * verification, session issued (checked: 200 and a session cookie).
 */
export async function signInWithPasskey(client: BenchClient, holder: PasskeyHolder): Promise<void> {
  const start = await client.post("/wan-signin", {});
  expectStatus(start, 200, "wan-signin");
  const { options, state } = JSON.parse(start.body) as {
    options: PublicKeyCredentialRequestOptionsJSON;
    state: string;
  };
  const credential = await holder.authenticator.authenticate(options);
  const done = await client.post("/wan-signin-response", { state, credential });
  expectStatus(done, 200, "wan-signin-response");
  if (!done.setCookie.some((line) => line.startsWith(SESSION_COOKIE))) {
    throw new Error("wan-signin-response: no session cookie");
  }
}

export interface PhaseResult {
  concurrency: number;
  /** Ceremonies completed in the measured window, per second. */
  perSecond: number;
  completed: number;
  /** Every ceremony completed, warm-up and stragglers included (to divide CPU time by). */
  totalCompleted: number;
  errors: number;
  firstError?: string;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  measuredMs: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

/**
 * Runs `iteration` on `concurrency` workers for `warmupMs` (discarded) and then `durationMs`
 * (measured). Every worker stops at the deadline, so the phase always ends by itself; a worker
 * whose iteration returns false (out of prepared input) stops early.
 */
export async function runPhase(options: {
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  iteration: (worker: number) => Promise<boolean | undefined>;
}): Promise<PhaseResult> {
  const { concurrency, warmupMs, durationMs, iteration } = options;
  const latencies: number[] = [];
  let errors = 0;
  let totalCompleted = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const measureFrom = start + warmupMs;
  const deadline = measureFrom + durationMs;
  let lastEnd = measureFrom;

  const worker = async (index: number) => {
    for (;;) {
      const t0 = performance.now();
      if (t0 >= deadline) return;
      try {
        const more = await iteration(index);
        const t1 = performance.now();
        totalCompleted += 1;
        // Count what finished inside the window; its latency is the whole ceremony.
        if (t1 >= measureFrom && t1 <= deadline) latencies.push(t1 - t0);
        lastEnd = Math.max(lastEnd, Math.min(t1, deadline));
        if (more === false) return;
      } catch (error) {
        if (performance.now() >= measureFrom) errors += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
        // Keep a failing server from turning the phase into a busy loop.
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, i) => worker(i)));

  const measuredMs = Math.max(1, Math.min(deadline, lastEnd) - measureFrom);
  latencies.sort((a, b) => a - b);
  return {
    concurrency,
    perSecond: (latencies.length / measuredMs) * 1000,
    completed: latencies.length,
    totalCompleted,
    errors,
    ...(firstError === undefined ? {} : { firstError }),
    p50Ms: percentile(latencies, 50),
    p90Ms: percentile(latencies, 90),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies.at(-1) ?? Number.NaN,
    measuredMs,
  };
}
