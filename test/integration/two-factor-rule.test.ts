import { describe, expect, it } from "vitest";
import type { SignInContext } from "../../src/index.js";
import { PASSWORD, signUp, uniqueEmail } from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { useHarness } from "../helpers/harness.js";
import { enrolTotp, newUser } from "../helpers/two-factor.js";

const targets = await databaseTargets();

/**
 * Issue #20 item 1: the app decides per user and per sign-in whether a second factor is owed
 * (`policy.secondFactorRequired`), alongside `twoFactor.required`.
 */
describe.each(targets)("per-user second-factor rule on $name", (target) => {
  const asked: SignInContext[] = [];
  const h = useHarness(target, {
    policy: {
      secondFactorRequired(signIn) {
        asked.push(signIn);
        // Admins always owe one; a trusted office network never does; others as configured.
        if (signIn.user.email.startsWith("admin-")) return true;
        if (signIn.userAgent === "OfficeKiosk") return false;
        return undefined;
      },
    },
  });

  it("holds an admin without a second factor at the enrolment step, as twoFactor.required would", async () => {
    const email = await signUp(h.client(), uniqueEmail("admin"));
    const login = await h.client().post("/login", { identity: email, password: PASSWORD });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ twoFactorRequired: true, methods: [] });
    expect(login.headers.get("set-cookie") ?? "").not.toMatch(/session=[^;]/);
    expect(asked.at(-1)).toMatchObject({ amr: ["pwd"], enrolled: [] });
  });

  it("leaves everyone else to the configuration, and lets the rule waive it for one sign-in", async () => {
    const { client, email } = await newUser(h);
    // No factor, no rule: signed in at once.
    const plain = await h.client().post("/login", { identity: email, password: PASSWORD });
    expect(plain.body).toMatchObject({ session: { aal: 1 } });
    await enrolTotp(h, client);
    const usual = await h.client().post("/login", { identity: email, password: PASSWORD });
    expect(usual.body).toMatchObject({ twoFactorRequired: true });
    expect(asked.at(-1)?.enrolled).toEqual(["totp"]);
    const kiosk = await h
      .client()
      .post("/login", { identity: email, password: PASSWORD }, { "user-agent": "OfficeKiosk" });
    expect(kiosk.body).toMatchObject({ session: { aal: 1 } });
  });
});
