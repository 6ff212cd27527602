/**
 * The load generator: keep-alive HTTP on loopback, passkey ceremonies signed by the software
 * authenticator, and bounded phases (a fixed warm-up, then a fixed measured window) that stop by
 * themselves and report throughput and latency percentiles.
 */
import { Agent, request } from "node:http";
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

/** A minimal JSON client over one keep-alive agent: far less overhead than fetch(). */
export class BenchClient {
  readonly agent: Agent;

  constructor(
    readonly port: number,
    readonly prefix = "/auth",
    maxSockets = 64,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  post(path: string, body: unknown, cookie?: string): Promise<HttpReply> {
    const payload = JSON.stringify(body);
    const headers: Record<string, string | number> = {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(payload),
    };
    if (cookie) headers.cookie = cookie;
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port: this.port,
          method: "POST",
          path: `${this.prefix}${path}`,
          agent: this.agent,
          headers,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString("utf8"),
              setCookie: res.headers["set-cookie"] ?? [],
            }),
          );
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
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
