import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectRefused } from "../helpers/attacks.js";
import { PASSWORD } from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { useHarness } from "../helpers/harness.js";
import { keyPrefixOf, sharedRedis } from "../helpers/redis.js";
import { newUser, passwordStep, TestSms } from "../helpers/two-factor.js";

// With `redis` configured, ceremony states, one-time codes and rate-limit counters live in
// Redis: the same flows must keep the same guarantees there.
const [sqlite] = await databaseTargets();
const redisUrl = await sharedRedis();

describe.skipIf(!redisUrl)("ephemeral state in Redis", () => {
  let redis: Redis;
  const sms = new TestSms();
  const h = useHarness(sqlite!, {
    redis: redisUrl!,
    sms,
    twoFactor: { codeAttempts: 3 },
    rateLimits: { codeSendsPerUser: 2, signinFailuresPerAccount: 2 },
  });
  beforeAll(async () => {
    redis = new Redis(redisUrl!.replace(/\?.*$/, ""));
  });
  afterAll(async () => {
    redis.disconnect();
  });

  async function smsUser() {
    const { client, email } = await newUser(h);
    const phone = `+4477009${String(Math.floor(Math.random() * 1e5)).padStart(5, "0")}`;
    const start = await client.post<{ state: string }>("/tf-setup", { method: "sms", phone });
    const enrolled = await client.post("/tf-setup-validate", {
      state: start.body.state,
      code: sms.lastCode(phone),
    });
    expect(enrolled.status, JSON.stringify(enrolled.body)).toBe(200);
    return { email, phone };
  }

  it("keeps an SMS code in Redis, single use, and completes the sign-in with it", async () => {
    const { email, phone } = await smsUser();
    const { client, pending } = await passwordStep(h, email);
    expect((await client.post("/tf-select", { state: pending.state, method: "sms" })).status).toBe(
      200,
    );
    expect((await redis.keys(`${keyPrefixOf(redisUrl!)}code:*`)).length).toBeGreaterThan(0);
    const code = sms.lastCode(phone);
    const done = await client.post("/tf-validate", { state: pending.state, method: "sms", code });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.session).toMatchObject({ aal: 2 });
    // The code and the pending state were spent.
    expectRefused(await client.post("/tf-validate", { state: pending.state, method: "sms", code }));
  });

  it("spends a code after its allowed attempts", async () => {
    const { email, phone } = await smsUser();
    const { client, pending } = await passwordStep(h, email);
    await client.post("/tf-select", { state: pending.state, method: "sms" });
    const right = sms.lastCode(phone);
    const wrong = right === "000000" ? "111111" : "000000";
    for (let i = 0; i < 3; i += 1) {
      expectRefused(
        await client.post("/tf-validate", { state: pending.state, method: "sms", code: wrong }),
      );
    }
    expectRefused(
      await client.post("/tf-validate", { state: pending.state, method: "sms", code: right }),
    );
  });

  it("counts code sends and failed sign-ins in Redis", async () => {
    const { email } = await smsUser();
    const { client, pending } = await passwordStep(h, email);
    expect((await client.post("/tf-select", { state: pending.state, method: "sms" })).status).toBe(
      200,
    );
    const limited = await client.post("/tf-select", { state: pending.state, method: "sms" });
    expectRefused(limited, "RATE_LIMITED");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);

    for (let i = 0; i < 2; i += 1)
      await h.client().post("/login", { identity: email, password: "wrong password" });
    expectRefused(
      await h.client().post("/login", { identity: email, password: PASSWORD }),
      "RATE_LIMITED",
    );
    expect(
      (await redis.keys(`${keyPrefixOf(redisUrl!)}rate:signin-fail:*`)).length,
    ).toBeGreaterThan(0);
  });
});
