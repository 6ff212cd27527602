import { describe, expect, it } from "vitest";
import { buildBrowserAssets } from "../../scripts/build-browser.js";
import { script, style } from "../../src/browser/generated/assets.js";

describe("prebuilt browser assets", () => {
  it("are up to date with src/browser and src/views/style.css (run npm run build:browser)", async () => {
    const built = await buildBrowserAssets();
    expect(style.source).toBe(built.style.source);
    expect(script.hash).toBe(built.script.hash);
    expect(style.hash).toBe(built.style.hash);
    // Compared by hash first so a stale bundle fails with a short message, then in full.
    expect(script.source === built.script.source).toBe(true);
  });

  it("expose the browser API as window.Keyward", () => {
    for (const name of ["register", "signIn", "signInWithAutofill", "verify", "secondFactor"]) {
      expect(script.source).toContain(name);
    }
  });
});
