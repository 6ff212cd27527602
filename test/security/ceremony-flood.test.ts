import { Redis } from "ioredis";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { hashToken } from "../../src/core/ids.js";
import type { KeywardOptions } from "../../src/index.js";
import { memoryCeremonies } from "../../src/store/memory/ceremonies.js";
import type { CeremonyRepo, NewCeremony } from "../../src/store/store.js";
import { PASSWORD } from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { type Harness, type HttpResult, useHarness } from "../helpers/harness.js";
import { sharedRedis } from "../helpers/redis.js";
import { enrolTotp, errorCode, newUser, totpAt } from "../helpers/two-factor.js";

type Json = Record<string, unknown>;

// Issue #15, item 8: 200,001 sign-in starts from one IP pushed a real user's pending second
// factor out of the in-memory store. Starts are now limited per client, and anonymous starts
// can never evict the state of a user who already proved a factor.

const targets = await databaseTargets();
const sqlite = targets.find((target) => target.name === "sqlite")!;

interface Variant {
  name: string;
  target: (typeof targets)[number];
  /** Where ceremony states live in this variant. */
  states: "memory" | "sql" | "redis";
  options: () => Promise<Partial<KeywardOptions>>;
}

const variants: Variant[] = [
  ...targets.map(
    (target): Variant => ({
      name: target.name,
      target,
      states: target.name === "sqlite" ? "memory" : "sql",
      options: async () => ({}),
    }),
  ),
];
if (await sharedRedis()) {
  variants.push({
    name: "sqlite with Redis",
    target: sqlite,
    states: "redis",
    // A key prefix per harness: no counter of another run is ever shared.
    options: async () => ({ redis: (await sharedRedis())! }),
  });
}

const PER_IP = 5;
const PER_USER = 4;
const MEMORY_LIMIT = 40;
const WINDOW = 15 * 60_000;

/** A request from one client IP (the socket address the Node adapter would pass). */
async function postFrom(
  h: Harness,
  ip: string,
  path: string,
  body: Json = {},
  cookie?: string,
): Promise<HttpResult<Json>> {
  const response = await h.auth.fetch(
    new Request(`${h.baseUrl}${h.auth.config.prefix}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    }),
    { ip },
  );
  return {
    status: response.status,
    body: (await response.json()) as Json,
    headers: response.headers,
  };
}

/** The pending-sign-in cookie a response set: the browser that holds it may continue. */
function pendingCookie(result: HttpResult<Json>): string {
  const line = result.headers.getSetCookie().find((l) => l.startsWith("keyward_tf="));
  expect(line, "a pending sign-in cookie").toBeDefined();
  return line!.split(";")[0]!;
}

function expectRateLimited(result: HttpResult<Json>) {
  expect(result.status, JSON.stringify(result.body)).toBe(429);
  expect(errorCode(result)).toBe("RATE_LIMITED");
  const retryAfter = Number(result.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(WINDOW / 1000);
}

let ipCounter = 0;
/** A client address no other test uses. */
/**
 * Counts the ceremony states stored from now on (SQL rows or Redis keys), without touching
 * what anyone else stored: the states present now are remembered and left out.
 */
async function storedStates(
  h: Harness,
  states: "sql" | "redis",
): Promise<{ count(): Promise<number>; close(): Promise<void> }> {
  if (states === "redis") {
    const url = new URL(h.auth.config.redis!);
    const prefix = url.searchParams.get("prefix") ?? "keyward:";
    const redis = new Redis(h.auth.config.redis!.split("?")[0]!);
    const keys = () => redis.keys(`${prefix}ceremony:*`);
    const before = new Set(await keys());
    return {
      count: async () => (await keys()).filter((key) => !before.has(key)).length,
      close: async () => redis.disconnect(),
    };
  }
  const schema = new URL(h.databaseUrl).searchParams.get("schema")!;
  const admin = new pg.Client({ connectionString: h.databaseUrl.split("?")[0] });
  await admin.connect();
  const ids = async () =>
    (
      await admin.query<{ id: string }>(`select id_hash as id from "${schema}".ceremonies`)
    ).rows.map((row) => row.id);
  const before = new Set(await ids());
  return {
    count: async () => (await ids()).filter((id) => !before.has(id)).length,
    close: () => admin.end(),
  };
}

const freshIp = () => {
  ipCounter += 1;
  return `198.51.${Math.floor(ipCounter / 250)}.${(ipCounter % 250) + 1}`;
};

describe.each(variants)("ceremony-start flooding on $name", (variant) => {
  const h = useHarness(
    variant.target,
    async () =>
      ({
        ...(await variant.options()),
        ephemeralMemoryLimit: MEMORY_LIMIT,
        rateLimits: { ceremonyStartsPerIp: PER_IP, ceremonyStartsPerUser: PER_USER },
      }) as Partial<KeywardOptions>,
  );

  /** Moves the clock to the start of a rate-limit window (aligned to the epoch). */
  function startOfWindow() {
    h.clock.advance(WINDOW - (h.clock.now() % WINDOW));
  }

  /** A signed-out user with TOTP, in a fresh window (enrolling started a state of theirs). */
  async function totpUser() {
    const user = await newUser(h);
    const { secret } = await enrolTotp(h, user.client);
    await user.client.post("/logout");
    startOfWindow();
    return { ...user, secret };
  }

  async function passwordFrom(ip: string, email: string) {
    return postFrom(h, ip, "/login", { identity: email, password: PASSWORD });
  }

  it("refuses sign-in starts from one IP past the limit with 429 and Retry-After; other IPs still start", async () => {
    const flooder = freshIp();
    for (let i = 0; i < PER_IP; i++) {
      const start = await postFrom(h, flooder, "/wan-signin");
      expect(start.status, JSON.stringify(start.body)).toBe(200);
      expect(typeof start.body.state).toBe("string");
    }
    const refused = await postFrom(h, flooder, "/wan-signin");
    expectRateLimited(refused);
    expect(refused.body.state).toBeUndefined();
    expectRateLimited(await postFrom(h, flooder, "/wan-signin", { identity: "a@example.com" }));

    const other = await postFrom(h, freshIp(), "/wan-signin");
    expect(other.status, JSON.stringify(other.body)).toBe(200);

    // The store counted every start of the flooder, and audited the first refusal once.
    const counter = await h.store.ceremonyCounters.peek(`ceremony-start:ip:${flooder}`, WINDOW);
    expect(counter.count).toBe(PER_IP + 2);
    const audited = (await h.store.events.list({ type: "ceremony.rate-limited" })).filter(
      (event) => event.ip === flooder,
    );
    expect(audited.map((event) => event.detail)).toEqual([{ kind: "signin", scope: "ip" }]);

    // The next window starts afresh.
    h.clock.advance(WINDOW);
    expect((await postFrom(h, flooder, "/wan-signin")).status).toBe(200);
  });

  it.skipIf(variant.states === "memory")(
    "keeps no state for a refused start (its count and its state went out together)",
    async () => {
      const stored = await storedStates(h, variant.states as "sql" | "redis");
      try {
        const flooder = freshIp();
        for (let i = 0; i < PER_IP; i++) {
          expect((await postFrom(h, flooder, "/wan-signin")).status).toBe(200);
        }
        expect(await stored.count()).toBe(PER_IP);
        for (let i = 0; i < 3; i++) expectRateLimited(await postFrom(h, flooder, "/wan-signin"));
        expect(await stored.count()).toBe(PER_IP);
      } finally {
        await stored.close();
      }
    },
  );

  it("counts a pending second-factor state from /login against the same IP limit", async () => {
    const { email, userId } = await totpUser();
    const flooder = freshIp();
    for (let i = 0; i < PER_IP; i++) {
      expect((await postFrom(h, flooder, "/wan-signin")).status).toBe(200);
    }
    const refused = await passwordFrom(flooder, email);
    expectRateLimited(refused);
    expect(refused.body.state).toBeUndefined();
    expect(refused.headers.getSetCookie().join(";")).not.toContain("keyward_session=");
    expect(await h.store.sessions.deleteForUser(userId)).toBe(0);

    // The same user from another client is not held up by this IP.
    const elsewhere = await passwordFrom(freshIp(), email);
    expect(elsewhere.status, JSON.stringify(elsewhere.body)).toBe(200);
    expect(elsewhere.body.twoFactorRequired).toBe(true);
  });

  it("limits pending second-factor states per user, from any IP, and the ones issued still complete", async () => {
    const { email, userId, secret } = await totpUser();
    const pending: string[] = [];
    const cookies: string[] = [];
    for (let i = 0; i < PER_USER; i++) {
      const step = await passwordFrom(freshIp(), email);
      expect(step.status, JSON.stringify(step.body)).toBe(200);
      pending.push(step.body.state as string);
      cookies.push(pendingCookie(step));
    }
    const refused = await passwordFrom(freshIp(), email);
    expectRateLimited(refused);
    expect(refused.body.state).toBeUndefined();
    const audited = await h.store.events.list({ userId, type: "ceremony.rate-limited" });
    expect(audited.map((event) => event.detail)).toEqual([
      { kind: "second-factor", scope: "user" },
    ]);

    // A state already issued is not a new start: it still completes.
    const ip = freshIp();
    const done = await postFrom(
      h,
      ip,
      "/tf-validate",
      { state: pending[0], method: "totp", code: await totpAt(secret, h.clock.now()) },
      cookies[0],
    );
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.session).toMatchObject({ aal: 2 });
  });

  it("keeps a pending second factor through a flood of anonymous starts from many IPs, past the memory cap", async () => {
    const { email, secret } = await totpUser();
    const ip = freshIp();
    const step = await passwordFrom(ip, email);
    expect(step.status, JSON.stringify(step.body)).toBe(200);
    const pending = step.body.state as string;
    const held = pendingCookie(step);

    // Three times what memory holds, each flooding IP staying under its own limit.
    const flood: string[] = [];
    for (let i = 0; i < (3 * MEMORY_LIMIT) / (PER_IP - 1); i++) {
      const flooder = freshIp();
      for (let j = 0; j < PER_IP - 1; j++) {
        const start = await postFrom(h, flooder, "/wan-signin");
        expect(start.status, JSON.stringify(start.body)).toBe(200);
        flood.push(start.body.state as string);
      }
    }
    expect(flood.length).toBe(3 * MEMORY_LIMIT);

    const store = h.store.ceremonies;
    expect(await store.find(hashToken(pending), "second-factor")).toBeDefined();
    // In memory the flood pushed out its own oldest starts; SQL and Redis evict nothing (the
    // per-IP limit is what bounds them).
    const oldest = await store.find(hashToken(flood[0]!), "signin");
    if (variant.states === "memory") expect(oldest).toBeUndefined();
    else expect(oldest).toBeDefined();
    expect(await store.find(hashToken(flood.at(-1)!), "signin")).toBeDefined();

    const done = await postFrom(
      h,
      ip,
      "/tf-validate",
      {
        state: pending,
        method: "totp",
        code: await totpAt(secret, h.clock.now()),
      },
      held,
    );
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.session).toMatchObject({ aal: 2 });
    expect(await store.find(hashToken(pending), "second-factor")).toBeUndefined();
  });
});

describe("in-memory ceremony pools", () => {
  const sqlFallback = { deleteExpired: async () => 0 } as unknown as CeremonyRepo;
  const state = (idHash: string, fields: Partial<NewCeremony>): NewCeremony =>
    ({
      idHash,
      kind: "signin",
      userId: null,
      sessionId: null,
      challenge: null,
      usage: null,
      name: null,
      data: {},
      expiresAt: 10_000,
      ...fields,
      // The store keeps data as it was given, whatever its kind says.
    }) as NewCeremony;

  it("never evicts a user's pending state for anonymous starts, whatever their number", async () => {
    const states = memoryCeremonies(() => 0, { limit: 10, perHolder: 3 }, sqlFallback);
    await states.create(
      state("alice-pending", { kind: "second-factor", userId: "alice", holder: "alice" }),
    );
    // Anonymous starts naming alice (user hints) are still anonymous: nobody proved anything.
    for (let i = 0; i < 100; i++) {
      await states.create(state(`anon-${i}`, { userId: i % 2 ? "alice" : null }));
    }
    expect(await states.find("alice-pending", "second-factor")).toBeDefined();
    expect(await states.find("anon-0", "signin")).toBeUndefined();
    expect(await states.find("anon-99", "signin")).toBeDefined();
  });

  it("lets one user's many states push out only that user's oldest", async () => {
    const states = memoryCeremonies(() => 0, { limit: 10, perHolder: 3 }, sqlFallback);
    await states.create(
      state("alice-pending", { kind: "second-factor", userId: "alice", holder: "alice" }),
    );
    for (let i = 0; i < 100; i++) {
      await states.create(
        state(`mallory-${i}`, { kind: "register", userId: "mallory", holder: "mallory" }),
      );
    }
    expect(await states.find("alice-pending", "second-factor")).toBeDefined();
    expect(await states.find("mallory-96", "register")).toBeUndefined();
    for (const kept of ["mallory-97", "mallory-98", "mallory-99"]) {
      expect(await states.consume(kept, "register")).toBeDefined();
    }
    // Spending them freed mallory's share; nothing of alice's was touched.
    await states.create(
      state("mallory-new", { kind: "register", userId: "mallory", holder: "mallory" }),
    );
    expect(await states.consume("alice-pending", "second-factor")).toBeDefined();
  });
});
