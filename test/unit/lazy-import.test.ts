import { describe, expect, it } from "vitest";
import { lazyImport } from "../../src/core/lazy.js";

describe("lazyImport", () => {
  it("imports nothing until asked, then once for every caller", async () => {
    let imports = 0;
    const load = lazyImport(async () => {
      imports += 1;
      return { value: imports };
    });
    expect(imports).toBe(0);
    const [a, b] = await Promise.all([load(), load()]);
    expect(a).toBe(b);
    expect(await load()).toBe(a);
    expect(imports).toBe(1);
  });

  it("tries a failed import again on the next call", async () => {
    let attempts = 0;
    const load = lazyImport(async () => {
      attempts += 1;
      if (attempts === 1) throw new Error("not yet");
      return "loaded";
    });
    await expect(load()).rejects.toThrow("not yet");
    expect(await load()).toBe("loaded");
    expect(attempts).toBe(2);
  });
});
