import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { eventCatalogue, withCatalogue } from "../../scripts/event-catalogue.js";
import { KeywardError } from "../../src/index.js";
import { PASSWORD, signUp, uniqueEmail } from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { useHarness } from "../helpers/harness.js";

const targets = await databaseTargets();

describe.each(targets)("auth.api.events on $name", (target) => {
  const h = useHarness(target);

  it("reads a user's events newest first, filtered by type and time, with typed detail", async () => {
    const start = h.clock.now();
    const email = await signUp(h.client(), uniqueEmail("audit"));
    const user = (await h.store.users.byEmail(email))!;
    h.clock.advance(1000);
    const login = await h.client().post("/login", { identity: email, password: PASSWORD });
    expect(login.status).toBe(200);
    h.clock.advance(1000);
    await h.client().post("/login", { identity: email, password: "wrong password" });
    await signUp(h.client(), uniqueEmail("someone-else"));

    const mine = await h.auth.api.events({ userId: user.id });
    // Sign-up also mails a confirmation link (account.token-sent) at the same instant, and
    // starts the account's first session (a `user.login` of method "sign-up").
    const types = mine.map((e) => e.type).filter((type) => type.startsWith("user."));
    expect(types.slice(0, 2)).toEqual(["user.login-failed", "user.login"]);
    // Same instant: their order among themselves is the store's.
    expect(types.slice(2).sort()).toEqual(["user.login", "user.registered"]);
    expect(mine[0]).toMatchObject({ userId: user.id, ip: "127.0.0.1", at: start + 2000 });

    const registered = await h.auth.api.events({ userId: user.id, type: "user.registered" });
    expect(registered).toHaveLength(1);
    // `detail` is typed by `type`: this reads KeywardEventMap["user.registered"].
    expect(registered[0]!.detail.email).toBe(email);
    expect(registered[0]!.detail.passwordless).toBe(false);

    const window = await h.auth.api.events({
      userId: user.id,
      since: new Date(start + 1000),
      until: start + 2000,
    });
    expect(window.map((e) => e.type)).toEqual(["user.login"]);
    expect(await h.auth.api.events({ userId: user.id, limit: 1 })).toHaveLength(1);
  });

  it("refuses a limit out of range or a time that is not one", async () => {
    for (const query of [
      { limit: 0 },
      { limit: 1001 },
      { limit: 2.5 },
      { since: new Date("nope") },
    ]) {
      const error = await h.auth.api.events(query).catch((e: unknown) => e);
      expect(error, JSON.stringify(query)).toBeInstanceOf(KeywardError);
      expect((error as KeywardError).code).toBe("INVALID_INPUT");
    }
  });
});

describe("docs/events.md", () => {
  it("documents every event of KeywardEventMap, generated from it", () => {
    const catalogue = eventCatalogue();
    const undocumented = catalogue.filter((e) => e.description === "").map((e) => e.type);
    expect(
      undocumented,
      "give these events a JSDoc comment in KeywardEventMap (src/core/events.ts)",
    ).toEqual([]);
    const page = readFileSync(new URL("../../docs/events.md", import.meta.url), "utf8");
    for (const entry of catalogue) expect(page).toContain(`| \`${entry.type}\` |`);
    expect(page, "docs/events.md is out of date: run npm run docs:events").toBe(
      withCatalogue(page),
    );
  });
});
