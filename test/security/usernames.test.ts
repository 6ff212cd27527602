import { describe, expect, it } from "vitest";
import { expectRefused } from "../helpers/attacks.js";
import { PASSWORD, uniqueEmail } from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { useHarness } from "../helpers/harness.js";

const targets = await databaseTargets();

describe.each(targets)("look-alike usernames on $name", (target) => {
  const h = useHarness(target);

  const signUp = (username: string) =>
    h.client().post("/register", { email: uniqueEmail(), password: PASSWORD, username });
  const suffix = () => Math.random().toString(36).slice(2, 7).replace(/\d/g, "x");

  it("refuses a username that mixes scripts, such as a Cyrillic а beside Latin letters", async () => {
    const name = `alice${suffix()}`;
    expect((await signUp(name)).status).toBe(201);
    for (const lookAlike of [
      `\u0430${name.slice(1)}`, // Cyrillic а
      `${name.slice(0, 2)}\u0456${name.slice(3)}`, // Cyrillic і
      `b\u03bfb${suffix()}`, // Greek ο
    ]) {
      const result = await signUp(lookAlike);
      expectRefused(result, "INVALID_INPUT");
      expect((result.body as { error: { details?: { field?: string } } }).error).toBeDefined();
      expect(await h.store.users.byUsername(lookAlike.toLowerCase())).toBeUndefined();
    }
  });

  it("accepts usernames written in one script, and the script mixes a language needs", async () => {
    for (const name of [
      `иван${suffix()}`.replace(/[a-z]/g, "д"),
      `${suffix()}_42.dev`,
      `山田たろうタロウ${Math.floor(Math.random() * 1e6)}`,
      `홍길동${Math.floor(Math.random() * 1e6)}`,
      `jürgen-${suffix()}`,
    ]) {
      const result = await signUp(name);
      expect(result.status, `${name}: ${JSON.stringify(result.body)}`).toBe(201);
    }
  });
});
