import { describe, expect, it } from "vitest";
import type { Ceremony } from "../../src/core/types.js";
import { memoryCeremonies } from "../../src/store/memory/ceremonies.js";
import { ExpiringMap } from "../../src/store/memory/expiring-map.js";
import { memoryOneTimeCodes } from "../../src/store/memory/one-time-codes.js";
import type { CeremonyRepo, NewCeremony, OneTimeCodeRepo } from "../../src/store/store.js";

const sqlFallback = (expired: number) => ({
  deleteExpired: async () => expired,
});

function ceremony(idHash: string, overrides: Partial<NewCeremony> = {}): NewCeremony {
  return {
    idHash,
    kind: "signin",
    userId: null,
    sessionId: null,
    challenge: "challenge",
    usage: null,
    name: null,
    data: { usages: ["first"] },
    expiresAt: 10_000,
    ...overrides,
    // The store keeps data as it was given, whatever its kind says.
  } as NewCeremony;
}

describe("ExpiringMap", () => {
  it("drops the oldest entry at its limit, and expired entries as new ones arrive", () => {
    let now = 0;
    const map = new ExpiringMap<{ expiresAt: number }>(() => now, 3);
    for (const key of ["a", "b", "c", "d"]) map.set(key, { expiresAt: 100 });
    expect(map.get("a")).toBeUndefined();
    expect(map.get("d")).toBeDefined();

    map.set("short", { expiresAt: 150 });
    now = 200;
    map.set("e", { expiresAt: 300 });
    // Everything before "e" had expired: trimmed from the head on insert.
    for (const key of ["b", "c", "d", "short"]) expect(map.get(key)).toBeUndefined();
    expect(map.get("e")).toEqual({ expiresAt: 300 });
  });

  it("deleteExpired counts what it removed", () => {
    const map = new ExpiringMap<{ expiresAt: number }>(() => 0, 10);
    map.set("late", { expiresAt: 500 });
    map.set("early", { expiresAt: 100 });
    expect(map.deleteExpired(200)).toBe(1);
    expect(map.get("late")).toBeDefined();
  });
});

describe("memory ceremonies", () => {
  const repo = (): CeremonyRepo =>
    memoryCeremonies(
      () => 0,
      { limit: 100, perHolder: 100 },
      sqlFallback(2) as unknown as CeremonyRepo,
    );

  it("gives a state out once, and only for its kind and session", async () => {
    const states = repo();
    await states.create(ceremony("s1", { kind: "verify", sessionId: "session-a" }));
    expect(await states.consume("s1", "signin")).toBeUndefined();
    expect(await states.consume("s1", "verify", "session-b")).toBeUndefined();
    const taken = await states.consume("s1", "verify", "session-a");
    expect(taken).toMatchObject({ id: "s1", kind: "verify", sessionId: "session-a" });
    expect(await states.consume("s1", "verify", "session-a")).toBeUndefined();
  });

  it("hands every reader its own copy of the data", async () => {
    const states = repo();
    await states.create(ceremony("s2"));
    const first = (await states.find("s2", "signin")) as Ceremony;
    (first.data as { usages: string[] }).usages.push("secondary");
    expect((await states.find("s2", "signin"))?.data).toEqual({ usages: ["first"] });
  });

  it("cleanup removes expired states and the SQL table's leftovers", async () => {
    const states = repo();
    await states.create(ceremony("old", { expiresAt: 50 }));
    await states.create(ceremony("live", { expiresAt: 5_000 }));
    expect(await states.deleteExpired(100)).toBe(1 + 2);
    expect(await states.find("live", "signin")).toBeDefined();
  });
});

describe("memory one-time codes", () => {
  it("counts attempts up to the limit, replaces on resend and is taken once", async () => {
    const codes = memoryOneTimeCodes(() => 0, 100, sqlFallback(0) as unknown as OneTimeCodeRepo);
    const code = {
      userId: "u1",
      boundTo: "pending",
      channel: "sms" as const,
      codeHash: "h1",
      destination: "+15550100",
      expiresAt: 1_000,
    };
    await codes.put(code);
    expect(await codes.countAttempt("pending", 2)).toBe(true);
    expect(await codes.countAttempt("pending", 2)).toBe(true);
    expect(await codes.countAttempt("pending", 2)).toBe(false);

    await codes.put({ ...code, codeHash: "h2" });
    expect(await codes.find("pending")).toMatchObject({ codeHash: "h2", attempts: 0 });
    expect(await codes.take("pending")).toBe(true);
    expect(await codes.take("pending")).toBe(false);
    expect(await codes.countAttempt("pending", 2)).toBe(false);
  });
});
