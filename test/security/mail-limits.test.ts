import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectRefused } from "../helpers/attacks.js";
import { databaseTargets } from "../helpers/databases.js";
import { type Harness, startHarness } from "../helpers/harness.js";
import { Mailbox } from "../helpers/mailbox.js";
import { newUser } from "../helpers/two-factor.js";

const targets = await databaseTargets();

describe.each(targets)("mail sent on request is limited on $name", (target) => {
  let h: Harness;
  const box = new Mailbox();
  beforeAll(async () => {
    h = await startHarness(target, {
      mailer: box,
      rateLimits: { accountMailsPerAddress: 3, accountMailsPerIp: 5 },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it("sends at most accountMailsPerAddress change-email links to one outside address", async () => {
    const { client } = await newUser(h);
    const outside = `victim-${Math.random().toString(36).slice(2, 8)}@elsewhere.example`;
    const from = box.mark();
    const answers = [];
    for (let i = 0; i < 10; i++) {
      answers.push(await client.post("/change-email", { newEmail: outside }));
    }
    expect(answers.slice(0, 3).map((a) => a.status)).toEqual([200, 200, 200]);
    for (const refused of answers.slice(3)) expectRefused(refused, "RATE_LIMITED");
    await box.next(outside, "change-email", from);
    await h.auth.api.cleanup(); // lets background mail work settle behind other store work
    const sent = box.sent.slice(from).filter((m) => m.to === outside);
    expect(sent.length).toBeLessThanOrEqual(3);
  });

  it("counts change-email requests per client too", async () => {
    const { client } = await newUser(h);
    const answers = [];
    for (let i = 0; i < 8; i++) {
      answers.push(
        await client.post("/change-email", {
          newEmail: `rotating-${i}-${Math.random().toString(36).slice(2, 8)}@elsewhere.example`,
        }),
      );
    }
    // The first test already spent some of this client's budget: at most 5 in the window.
    expect(answers.filter((a) => a.status === 200).length).toBeLessThanOrEqual(5);
    expectRefused(answers.at(-1)!, "RATE_LIMITED");
  });
});
