import { describe, expect, it } from "vitest";
import { expectRefused } from "../helpers/attacks.js";
import { uniqueEmail } from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { useHarness } from "../helpers/harness.js";

const targets = await databaseTargets();

/** A fresh host address inside one /64 (each call another interface id). */
const host = (network: string, n: number) => `${network}:${(n + 1).toString(16)}:abcd:${n}:1`;

describe.each(targets)("per-client limits count an IPv6 /64 as one client on $name", (target) => {
  const h = useHarness(target, {
    trustProxy: true,
    rateLimits: { signinFailuresPerIp: 5, accountMailsPerIp: 3 },
  });

  it("stops failed sign-ins rotating through one /64, and not the next /64", async () => {
    const network = "2001:db8:aa:1";
    const answers = [];
    for (let n = 0; n < 8; n++) {
      answers.push(
        await h
          .client()
          .post(
            "/login",
            { identity: uniqueEmail("v6"), password: "guess" },
            { "x-forwarded-for": host(network, n) },
          ),
      );
    }
    expect(answers.slice(0, 5).map((a) => a.status)).toEqual([401, 401, 401, 401, 401]);
    for (const refused of answers.slice(5)) expectRefused(refused, "RATE_LIMITED");
    const elsewhere = await h
      .client()
      .post(
        "/login",
        { identity: uniqueEmail("v6"), password: "guess" },
        { "x-forwarded-for": host("2001:db8:aa:2", 0) },
      );
    expect(elsewhere.status).toBe(401);
  });

  it("stops mail requests rotating through one /64", async () => {
    const network = "2001:db8:bb:1";
    const answers = [];
    for (let n = 0; n < 5; n++) {
      answers.push(
        await h
          .client()
          .post(
            "/reset-password",
            { email: uniqueEmail("v6mail") },
            { "x-forwarded-for": host(network, n) },
          ),
      );
    }
    expect(answers.slice(0, 3).map((a) => a.status)).toEqual([200, 200, 200]);
    for (const refused of answers.slice(3)) expectRefused(refused, "RATE_LIMITED");
  });
});
