import { describe, expect, it } from "vitest";
import { PASSWORD, uniqueEmail } from "../../helpers/ceremonies.js";
import { databaseTargets } from "../../helpers/databases.js";
import { startHarness, type TestClient } from "../../helpers/harness.js";
import {
  expectCode,
  lifecyclePolicySuite,
  lifecycleSuite,
  MINUTE,
} from "../../helpers/lifecycle.js";
import { Mailbox } from "../../helpers/mailbox.js";

// "Mail me a link" requests: the same answer, the same limits and about the same time for known and
// unknown addresses.

const targets = await databaseTargets();

describe.each(targets)("account lifecycle on $name", (target) => {
  const { h, passwordUser, passkeyUser } = lifecycleSuite(target);

  describe("enumeration", () => {
    it("answers known and unknown addresses with the same status and body", async () => {
      const { email } = await passwordUser();
      const keys = await passkeyUser();
      for (const path of ["/reset-password", "/recover-account", "/confirm-email/resend"]) {
        const answers = [];
        for (const address of [email, keys.email, uniqueEmail("ghost")]) {
          const result = await h.client().post(path, { email: address });
          answers.push({ status: result.status, body: result.body });
        }
        expect(answers[0], path).toEqual({ status: 200, body: { ok: true } });
        expect(answers[1], path).toEqual(answers[0]);
        expect(answers[2], path).toEqual(answers[0]);
      }
    });
  });
});

describe.each(targets)("account lifecycle policies on $name", (target) => {
  const { h } = lifecyclePolicySuite(target);

  it("limits mails per address and per IP alike for known and unknown addresses", async () => {
    h.clock.advance(16 * MINUTE); // a new rate-limit window
    const email = uniqueEmail("limited");
    await h.client().post("/register", { email, password: PASSWORD });
    const ghost = uniqueEmail("ghost");
    const answers: Record<string, number[]> = { [email]: [], [ghost]: [] };
    for (let i = 0; i < 3; i += 1) {
      for (const address of [email, ghost]) {
        answers[address]!.push(
          (await h.client().post("/reset-password", { email: address })).status,
        );
      }
    }
    expect(answers[email]).toEqual([200, 200, 429]);
    expect(answers[ghost]).toEqual(answers[email]);
    const limited = await h.client().post("/reset-password", { email: uniqueEmail("fresh") });
    // 7th request from this IP in the window (limit 5).
    expectCode(limited, 429, "RATE_LIMITED");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    h.clock.advance(16 * MINUTE);
    expect((await h.client().post("/reset-password", { email })).status).toBe(200);
  });
});

describe("account mail timing", () => {
  it("takes about as long for a known address as for an unknown one", async () => {
    const [sqlite] = targets;
    const box = new Mailbox();
    const h = await startHarness(sqlite!, {
      mailer: box,
      rateLimits: { accountMailsPerAddress: 1000, accountMailsPerIp: 1000 },
    });
    try {
      const client: TestClient = h.client();
      const email = uniqueEmail("timed");
      await client.post("/register", { email, password: PASSWORD });
      const time = async (address: string) => {
        const start = performance.now();
        await h.client().post("/reset-password", { email: address });
        return performance.now() - start;
      };
      const known: number[] = [];
      const unknown: number[] = [];
      for (let i = 0; i < 20; i += 1) {
        if (i % 2 === 0) {
          known.push(await time(email));
          unknown.push(await time(uniqueEmail("ghost")));
        } else {
          unknown.push(await time(uniqueEmail("ghost")));
          known.push(await time(email));
        }
      }
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
      const [a, b] = [median(known), median(unknown)];
      expect(Math.abs(a - b), `${a.toFixed(1)} ms vs ${b.toFixed(1)} ms`).toBeLessThanOrEqual(
        0.35 * Math.max(a, b) + 3,
      );
    } finally {
      await h.close();
    }
  });
});
