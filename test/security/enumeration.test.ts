import { beforeAll, describe, expect, it } from "vitest";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import { PASSWORD, registerKey, signUp, uniqueEmail } from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { startHarness, useHarness } from "../helpers/harness.js";

const [sqlite] = await databaseTargets();

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Times `a` and `b` interleaved, so load on the machine affects both alike. */
async function interleavedMedians(
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
  rounds: number,
  /** Untimed, after each request: lets work it left behind finish before the next is timed. */
  settle: () => Promise<unknown> = async () => {},
) {
  const timesA: number[] = [];
  const timesB: number[] = [];
  for (let i = 0; i < rounds; i += 1) {
    for (const [run, times] of i % 2 === 0
      ? ([
          [a, timesA],
          [b, timesB],
        ] as const)
      : ([
          [b, timesB],
          [a, timesA],
        ] as const)) {
      const start = performance.now();
      await run();
      times.push(performance.now() - start);
      await settle();
    }
  }
  return { a: median(timesA), b: median(timesB) };
}

/** Timing differences within this ratio (plus a small absolute allowance) reveal nothing useful. */
function expectSimilar(a: number, b: number) {
  const allowance = 0.35 * Math.max(a, b) + 3;
  expect(Math.abs(a - b), `medians ${a.toFixed(1)} ms vs ${b.toFixed(1)} ms`).toBeLessThanOrEqual(
    allowance,
  );
}

describe("account enumeration", () => {
  let email: string;
  const h = useHarness(sqlite!, {
    webauthn: { allowUserHints: false },
    rateLimits: { signinFailuresPerAccount: 1000 },
  });
  beforeAll(async () => {
    // Failed-sign-in limits would answer the repeated identity early; this suite compares timing.
    const client = h.client();
    email = await signUp(client);
    await registerKey(client, new SoftwareAuthenticator({ origin: h.origin }), {
      name: "k",
      usage: "first",
    });
  });

  it("answers a wrong password and an unknown account with the same status and body", async () => {
    const known = await h.client().post("/login", { identity: email, password: "wrong password" });
    const unknown = await h
      .client()
      .post("/login", { identity: uniqueEmail("ghost"), password: "wrong password" });
    expect(known.status).toBe(unknown.status);
    expect(known.body).toEqual(unknown.body);
  });

  it("takes about as long for a wrong password as for an unknown account", async () => {
    const { a, b } = await interleavedMedians(
      () => h.client().post("/login", { identity: email, password: "wrong password" }),
      () =>
        h.client().post("/login", { identity: uniqueEmail("ghost"), password: "wrong password" }),
      15,
    );
    expectSimilar(a, b);
  });

  it("gives the same sign-in options for known and unknown identities without user hints", async () => {
    const strip = (body: Record<string, unknown>) => {
      const options = body.options as Record<string, unknown>;
      return {
        ...body,
        state: typeof body.state,
        options: { ...options, challenge: typeof options.challenge },
      };
    };
    const known = await h.client().post("/wan-signin", { identity: email });
    const unknown = await h.client().post("/wan-signin", { identity: uniqueEmail("ghost") });
    expect(known.status).toBe(unknown.status);
    expect(strip(known.body)).toEqual(strip(unknown.body));
    const { a, b } = await interleavedMedians(
      () => h.client().post("/wan-signin", { identity: email }),
      () => h.client().post("/wan-signin", { identity: uniqueEmail("ghost") }),
      30,
    );
    expectSimilar(a, b);
  });

  it("keeps password accounts and passkey-only accounts alike at login", async () => {
    const passwordless = await startHarness(sqlite!, { accounts: { allowPasswordless: true } });
    try {
      const client = passwordless.client();
      const keyOnly = uniqueEmail("keyonly");
      expect((await client.post("/register", { email: keyOnly })).status).toBe(201);
      const noPassword = await passwordless
        .client()
        .post("/login", { identity: keyOnly, password: PASSWORD });
      const unknown = await passwordless
        .client()
        .post("/login", { identity: uniqueEmail("ghost"), password: PASSWORD });
      expect(noPassword.body).toEqual(unknown.body);
    } finally {
      await passwordless.close();
    }
  });
});

describe("account enumeration through sign-in codes", () => {
  // A mailer as slow as a real one: a code sent while the client waited would show in timing.
  const slowMailer = {
    sent: 0,
    async send() {
      await new Promise((resolve) => setTimeout(resolve, 40));
      this.sent += 1;
    },
  };
  let email: string;
  const h = useHarness(sqlite!, {
    mailer: slowMailer,
    signIn: { codes: ["email"] },
    lifecycle: { confirmEmail: "off" },
    rateLimits: { codeSendsPerUser: 1000, codeSendsPerIp: 100_000 },
  });
  beforeAll(async () => {
    email = await signUp(h.client());
  });
  const ask = (identity: string) =>
    h.client().post<{ state: string }>("/code-signin", { identity, channel: "email" });

  it("answers a known and an unknown address alike, in about the same time", async () => {
    const known = await ask(email);
    const unknown = await ask(uniqueEmail("ghost"));
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(known.status);
    expect({ ...known.body, state: "" }).toEqual({ ...unknown.body, state: "" });
    // The known address's code leaves after its answer; the next request is timed only once
    // it has gone, so that one answer's sending is not counted in the other's time.
    let codesOwed = 1;
    const { a, b } = await interleavedMedians(
      () => ask(email).then(() => (codesOwed += 1)),
      () => ask(uniqueEmail("ghost")),
      15,
      () =>
        expect.poll(() => slowMailer.sent, { timeout: 10_000 }).toBeGreaterThanOrEqual(codesOwed),
    );
    expectSimilar(a, b);
    // The known address did get its codes, after the answers.
    expect(slowMailer.sent).toBeGreaterThanOrEqual(16);
  });
});
