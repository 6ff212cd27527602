import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { systemClock } from "../../src/core/clock.js";
import { KeywardError } from "../../src/core/errors.js";
import { KeywardEvents } from "../../src/core/events.js";
import { openKyselyStore } from "../../src/store/kysely/index.js";
import type { Store } from "../../src/store/store.js";
import { databaseTargets } from "../helpers/databases.js";

const targets = await databaseTargets();

// Listeners hear only of what is stored: an event written inside a transaction is announced
// once the transaction commits (on SQLite, the shared group commit), never if it rolls back.
describe.each(targets)("event listeners and transactions on $name", (target) => {
  let url: string;
  let store: Store;
  let heard: string[];
  let events: KeywardEvents;

  beforeEach(async () => {
    url = target.url();
    store = await openKyselyStore(url, { clock: systemClock });
    events = new KeywardEvents(systemClock);
    heard = [];
    events.on("account.token-sent", (event) => {
      heard.push(event.detail.purpose);
    });
  });
  afterEach(async () => {
    await store.close();
    await target.drop(url);
  });
  const listenersRan = () => new Promise((resolve) => setTimeout(resolve, 10));
  const record = (sink: Store["events"], purpose: "reset-password" | "recover-account") =>
    events.record(sink, "account.token-sent", { userId: null, ip: null }, { purpose });

  it("announces an event written in a transaction after the commit, not before", async () => {
    const done = store.transaction(async (trx) => {
      await record(trx.events, "reset-password");
      await listenersRan();
      expect(heard).toEqual([]);
    });
    await done;
    await listenersRan();
    expect(heard).toEqual(["reset-password"]);
  });

  it("never announces an event whose transaction rolled back", async () => {
    const results = await Promise.allSettled([
      store.transaction(async (trx) => {
        await record(trx.events, "reset-password");
        throw new KeywardError("INVALID_INPUT", "refused by the test");
      }),
      store.transaction(async (trx) => record(trx.events, "recover-account")),
    ]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled"]);
    await listenersRan();
    expect(heard).toEqual(["recover-account"]);
    expect((await store.events.list({ type: "account.token-sent" })).length).toBe(1);
  });

  it("announces an event written outside a transaction at once", async () => {
    await record(store.events, "reset-password");
    await listenersRan();
    expect(heard).toEqual(["reset-password"]);
  });
});
