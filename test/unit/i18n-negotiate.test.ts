import { describe, expect, it } from "vitest";
import { languagePicker, pickLanguage } from "../../src/i18n/negotiate.js";

// Accept-Language → one of the offered languages.

const offered = ["en", "de", "fr", "pt-BR"];

describe("pickLanguage", () => {
  it.each([
    ["de", "de"],
    ["de-AT", "de"],
    ["DE-at", "de"],
    ["de_AT", "de"],
    ["pt", "pt-BR"],
    ["pt-PT", "pt-BR"],
    ["pt-BR", "pt-BR"],
    ["it, fr;q=0.8", "fr"],
    ["en;q=0.2, fr;q=0.5, de;q=0.9", "de"],
    ["de;q=0.5, fr;q=0.5", "de"],
    ["de;q=0, fr;q=0.1", "fr"],
    ["it, *;q=0.5", "en"],
    ["xx", "en"],
    ["", "en"],
    ["de;q=2", "en"],
    [";;;,,=", "en"],
  ])("%j → %s", (header, want) => {
    expect(pickLanguage(header, offered, "en")).toBe(want);
  });

  it("prefers the exact tag over a sibling with the same primary language", () => {
    expect(pickLanguage("en-GB", ["en-US", "en-GB"], "en-US")).toBe("en-GB");
    expect(pickLanguage("en-AU", ["en-US", "en-GB"], "en-GB")).toBe("en-US");
  });

  it("gives the fallback when nothing is asked", () => {
    expect(pickLanguage(undefined, offered, "fr")).toBe("fr");
    expect(pickLanguage(null, offered, "fr")).toBe("fr");
  });
});

describe("languagePicker", () => {
  it("answers a header it remembers as it did the first time, past its memory's size", () => {
    const pick = languagePicker(offered, "en");
    const asked = ["de-AT,de;q=0.9", "pt", "it, fr;q=0.8", "xx", "de;q=2"];
    const first = asked.map((header) => pick(header));
    expect(first).toEqual(["de", "pt-BR", "fr", "en", "en"]);
    // Made-up headers push the first ones out of the memory: they are worked out again, alike.
    for (let i = 0; i < 600; i += 1) expect(pick(`x${i}, fr;q=0.${(i % 9) + 1}`)).toBe("fr");
    expect(asked.map((header) => pick(header))).toEqual(first);
  });

  it("reads a header longer than it remembers", () => {
    const pick = languagePicker(offered, "en");
    const long = `${Array.from({ length: 60 }, (_, i) => `x${i};q=0.9`).join(",")},de;q=0.5`;
    expect(long.length).toBeGreaterThan(200);
    expect(pick(long)).toBe("de");
    expect(pick(long)).toBe("de");
  });
});
