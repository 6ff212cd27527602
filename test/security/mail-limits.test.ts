import { describe, expect, it } from "vitest";
import { expectRefused } from "../helpers/attacks.js";
import { databaseTargets } from "../helpers/databases.js";
import { useHarness } from "../helpers/harness.js";
import { Mailbox } from "../helpers/mailbox.js";
import { newUser, TestSms } from "../helpers/two-factor.js";

const targets = await databaseTargets();

describe.each(targets)("mail sent on request is limited on $name", (target) => {
  const box = new Mailbox();
  const h = useHarness(target, {
    mailer: box,
    rateLimits: { accountMailsPerAddress: 3, accountMailsPerIp: 5 },
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

describe.each(targets)("codes texted on request are limited per number on $name", (target) => {
  const sms = new TestSms();
  const h = useHarness(target, {
    sms,
    rateLimits: { codeSendsPerUser: 3, codeSendsPerIp: 1000 },
  });

  it("sends at most codeSendsPerUser codes to one number, however many accounts ask", async () => {
    const victim = "+15005550199";
    const answers = [];
    for (let i = 0; i < 3; i++) {
      const { client } = await newUser(h);
      for (let j = 0; j < 2; j++) {
        answers.push(await client.post("/tf-setup", { method: "sms", phone: victim }));
      }
    }
    expect(answers.filter((a) => a.status === 200).length).toBe(3);
    for (const refused of answers.slice(3)) expectRefused(refused, "RATE_LIMITED");
    expect(sms.sent.filter((m) => m.to === victim).length).toBe(3);
  });
});
