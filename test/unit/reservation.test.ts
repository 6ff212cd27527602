import { describe, expect, it } from "vitest";
import { reserveAttempt } from "../../src/core/rate-limit.js";
import { memoryRateLimits } from "../../src/store/memory/rate-limits.js";

// A reservation's refund can ride in a transaction (`refund(within)`, the limiter that
// transaction sees); if the transaction does not commit, `refund()` takes the attempt back on
// its own. Here two memory limiters stand for "the root store" and "one transaction's view".
const WINDOW = 60_000;
const now = () => 1_000_000;
const check = [{ scope: "ip" as const, key: "signin-fail:ip:192.0.2.1", limit: 5 }];
const options = { now: now(), message: () => "limited", onFirstRefusal: async () => {} };

describe("a reservation's refund", () => {
  it("refunds once, whichever way it is asked for twice", async () => {
    const root = memoryRateLimits(now, 100);
    const reservation = await reserveAttempt(root, WINDOW, check, options);
    expect((await root.peek(check[0]!.key, WINDOW)).count).toBe(1);
    await reservation.refund();
    await reservation.refund();
    await reservation.refund(root);
    expect((await root.peek(check[0]!.key, WINDOW)).count).toBe(0);
  });

  it("made within a transaction that failed, is made again on its own, once", async () => {
    const root = memoryRateLimits(now, 100);
    const inTransaction = memoryRateLimits(now, 100); // what a rolled-back transaction wrote
    await reserveAttempt(root, WINDOW, check, options); // someone else's failed attempt
    const reservation = await reserveAttempt(root, WINDOW, check, options);
    await inTransaction.hit(check[0]!.key, WINDOW);
    await reservation.refund(inTransaction);
    await reservation.refund(inTransaction);
    expect((await inTransaction.peek(check[0]!.key, WINDOW)).count).toBe(0);
    // The transaction rolled back: its refund is gone; the root counter still holds both.
    expect((await root.peek(check[0]!.key, WINDOW)).count).toBe(2);
    await reservation.refund();
    await reservation.refund();
    expect((await root.peek(check[0]!.key, WINDOW)).count).toBe(1);
  });
});
