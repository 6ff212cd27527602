import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Work, workOn } from "../../src/context.js";
import { systemClock } from "../../src/core/clock.js";
import { KeywardError } from "../../src/core/errors.js";
import { KeywardEvents } from "../../src/core/events.js";
import { openKyselyStore } from "../../src/store/kysely/index.js";
import type { Store } from "../../src/store/store.js";
import { databaseTargets } from "../helpers/databases.js";

const targets = await databaseTargets();

// ctx.transaction / tx.record (context.ts): an event recorded in a unit of work is written
// with its change and announced once both are committed; neither survives a rollback.
describe.each(targets)("units of work on $name", (target) => {
  let url: string;
  let store: Store;
  let work: Work;
  let heard: string[];
  let userId: string;

  beforeEach(async () => {
    url = target.url();
    store = await openKyselyStore(url, { clock: systemClock });
    const events = new KeywardEvents(systemClock);
    work = workOn(store, events);
    heard = [];
    events.on("user.deactivated", (event) => {
      heard.push(event.detail.by);
    });
    userId = (
      await store.users.create({
        email: `u${Math.random()}@example.com`,
        username: null,
        passwordHash: null,
        webauthnUserHandle: `h${Math.random()}`,
      })
    ).id;
  });
  afterEach(async () => {
    await store.close();
    await target.drop(url);
  });
  const listenersRan = () => new Promise((resolve) => setTimeout(resolve, 10));
  const deactivatedEvents = async () =>
    (await store.events.list({ type: "user.deactivated" })).map((e) => e.detail.by);

  it("commits an event recorded on a unit of work with its change, then announces it", async () => {
    await work.transaction(async (tx) => {
      await tx.users.setActive(userId, false);
      await tx.record("user.deactivated", { userId, ip: null }, { by: "a", sessionsRevoked: 0 });
      await listenersRan();
      expect(heard).toEqual([]);
    });
    await listenersRan();
    expect(heard).toEqual(["a"]);
    expect((await store.users.byId(userId))?.active).toBe(false);
    expect(await deactivatedEvents()).toEqual(["a"]);
  });

  it("keeps neither the change nor its event when the unit of work throws", async () => {
    const results = await Promise.allSettled([
      work.transaction(async (tx) => {
        await tx.users.setActive(userId, false);
        await tx.record("user.deactivated", { userId, ip: null }, { by: "a", sessionsRevoked: 0 });
        throw new KeywardError("INVALID_INPUT", "refused by the test");
      }),
      work.transaction((tx) =>
        tx.record("user.deactivated", { userId, ip: null }, { by: "b", sessionsRevoked: 0 }),
      ),
    ]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled"]);
    await listenersRan();
    expect(heard).toEqual(["b"]);
    expect((await store.users.byId(userId))?.active).toBe(true);
    expect(await deactivatedEvents()).toEqual(["b"]);
  });

  it("writes and announces an event recorded outside a unit of work at once", async () => {
    await work.record("user.deactivated", { userId, ip: null }, { by: "c", sessionsRevoked: 0 });
    await listenersRan();
    expect(heard).toEqual(["c"]);
    expect(await deactivatedEvents()).toEqual(["c"]);
  });
});
