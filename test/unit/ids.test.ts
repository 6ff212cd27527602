import { describe, expect, it } from "vitest";
import { timeOrderedId } from "../../src/core/ids.js";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("timeOrderedId", () => {
  it("is a UUID v7 whose first 48 bits are the time in ms", () => {
    const at = Date.UTC(2026, 10, 25, 12, 0, 0, 123);
    const id = timeOrderedId(at);
    expect(id).toMatch(UUID_V7);
    expect(Number.parseInt(id.replace("-", "").slice(0, 12), 16)).toBe(at);
  });

  it("sorts by time, and ids of the same ms still differ", () => {
    const times = Array.from({ length: 200 }, (_, i) => 1_700_000_000_000 + i * 7);
    const ids = times.map(timeOrderedId);
    expect([...ids].sort()).toEqual(ids);
    const sameMs = new Set(Array.from({ length: 1000 }, () => timeOrderedId(times[0]!)));
    expect(sameMs.size).toBe(1000);
  });
});
