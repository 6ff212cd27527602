import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KeywardOptions } from "../../src/index.js";
import { PASSWORD, signUp, uniqueEmail } from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { type Harness, startHarness } from "../helpers/harness.js";
import { Mailbox } from "../helpers/mailbox.js";

const targets = await databaseTargets();

/** The address Keyward recorded for one failed sign-in sent with these headers. */
async function recordedIp(h: Harness, headers: Record<string, string>): Promise<string | null> {
  const email = uniqueEmail("ip");
  await signUp(h.client(), email);
  const user = await h.store.users.byEmail(email);
  const result = await h
    .client()
    .post("/login", { identity: email, password: "not the password" }, headers);
  expect(result.status).toBe(401);
  const [failed] = await h.auth.api.events({ userId: user!.id, type: "user.login-failed" });
  return failed!.ip;
}

describe.each(targets)("client address on $name", (target) => {
  const harnesses: Harness[] = [];
  const start = async (options: Partial<KeywardOptions>) => {
    const h = await startHarness(target, options);
    harnesses.push(h);
    return h;
  };
  afterAll(async () => {
    for (const h of harnesses) await h.close();
  });

  describe("behind one proxy that appends (trustProxy: true)", () => {
    let h: Harness;
    beforeAll(async () => {
      h = await start({ trustProxy: true });
    });

    it("takes the address the proxy appended, not the leftmost one the client chose", async () => {
      expect(await recordedIp(h, { "x-forwarded-for": "203.0.113.7, 198.51.100.20" })).toBe(
        "198.51.100.20",
      );
    });

    it("never stores what is not an IP address", async () => {
      for (const junk of ["<b>x</b>", "+1-800-555-0100", "1.2.3.4 <x>", "::ffff:zz"]) {
        const ip = await recordedIp(h, { "x-forwarded-for": junk });
        expect(ip, junk).toMatch(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);
      }
    });
  });

  it("walks past a list of trusted proxy addresses from the right", async () => {
    const h = await start({ trustedProxies: ["127.0.0.1", "::ffff:127.0.0.1", "10.0.0.9"] });
    expect(await recordedIp(h, { "x-forwarded-for": "6.6.6.6, 203.0.113.7, 10.0.0.9" })).toBe(
      "203.0.113.7",
    );
  });

  it("counts a number of trusted hops from the right", async () => {
    const h = await start({ trustProxy: 2 });
    expect(await recordedIp(h, { "x-forwarded-for": "6.6.6.6, 203.0.113.7, 10.0.0.9" })).toBe(
      "203.0.113.7",
    );
  });

  it("ignores X-Forwarded-For without trustProxy", async () => {
    const h = await start({});
    expect(await recordedIp(h, { "x-forwarded-for": "203.0.113.7" })).toMatch(
      /^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/,
    );
  });

  it("describes the requester in security mails from parsed facts, never raw header text", async () => {
    const box = new Mailbox();
    const h = await start({ mailer: box, trustProxy: true });
    const email = await signUp(h.client(), uniqueEmail("ua"));
    const from = box.mark();
    const result = await h.client().post(
      "/reset-password",
      { email },
      {
        "user-agent": "URGENT: call +1-800-555-0100 to keep your account",
        "x-forwarded-for": "<a href=https://evil.example>support</a>",
      },
    );
    expect(result.status).toBe(200);
    const mail = await box.next(email, "reset-password", from);
    const text = JSON.stringify(mail);
    expect(text).not.toContain("800-555");
    expect(text).not.toContain("URGENT");
    expect(text).not.toContain("evil.example");
    expect(PASSWORD).toBeTruthy();
  });
});
