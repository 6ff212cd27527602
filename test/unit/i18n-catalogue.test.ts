import {
  isArgumentElement,
  isDateElement,
  isNumberElement,
  isPluralElement,
  isSelectElement,
  isTagElement,
  isTimeElement,
  type MessageFormatElement,
  parse,
} from "@formatjs/icu-messageformat-parser";
import { describe, expect, it } from "vitest";
import { errorCatalogue } from "../../src/core/errors.js";
import { english, type MessageKey } from "../../src/i18n/catalogue.js";
import { shippedLanguages } from "../../src/i18n/languages.js";
import { Language } from "../../src/i18n/translator.js";

// Every shipped language is complete: the same keys as English, the same placeholders (names
// and kinds: a plural stays a plural), and every message formats. The type system catches a
// missing key at compile time; this also catches extra keys and broken placeholders.

type ArgumentKind = "text" | "number" | "plural" | "select" | "date";

/** Each argument a message uses, with its kind, found at any depth (inside plural branches). */
function argumentsOf(message: string): Map<string, ArgumentKind> {
  const found = new Map<string, ArgumentKind>();
  const walk = (elements: MessageFormatElement[]) => {
    for (const element of elements) {
      if (isArgumentElement(element)) found.set(element.value, found.get(element.value) ?? "text");
      else if (isNumberElement(element)) found.set(element.value, "number");
      else if (isDateElement(element) || isTimeElement(element)) found.set(element.value, "date");
      else if (isPluralElement(element) || isSelectElement(element)) {
        found.set(element.value, isPluralElement(element) ? "plural" : "select");
        for (const option of Object.values(element.options)) walk(option.value);
      } else if (isTagElement(element)) walk(element.children);
    }
  };
  walk(parse(message, { ignoreTag: true, requiresOtherClause: true }));
  return found;
}

/** A sample value for an argument of `kind`. */
function sample(kind: ArgumentKind, count: number): string | number {
  if (kind === "plural" || kind === "number") return count;
  if (kind === "date") return Date.UTC(2026, 0, 2, 3, 4);
  return kind === "select" ? "other" : "sample";
}

const languages = Object.entries(shippedLanguages) as [string, Record<MessageKey, string>][];
const englishKeys = Object.keys(english).sort();

describe("the message catalogue", () => {
  it("ships English and at least three other languages", () => {
    expect(Object.keys(shippedLanguages)).toEqual(expect.arrayContaining(["en", "de", "fr", "es"]));
  });

  it("has an api.<CODE> message for every code a response can carry, English = the code's", () => {
    for (const [code, entry] of Object.entries(errorCatalogue)) {
      const key = `api.${code}` as MessageKey;
      if ("reserved" in entry) expect(english).not.toHaveProperty(key);
      else expect(english[key], code).toBe(entry.message);
    }
  });

  describe.each(languages)("%s", (tag, messages) => {
    it("has exactly the keys of English", () => {
      const keys = Object.keys(messages).sort();
      expect(
        englishKeys.filter((k) => !keys.includes(k)),
        "missing keys",
      ).toEqual([]);
      expect(
        keys.filter((k) => !englishKeys.includes(k)),
        "extra keys",
      ).toEqual([]);
    });

    it("names itself: lang is its tag", () => {
      expect(messages.lang).toBe(tag);
    });

    it("uses the placeholders of English in every message, of the same kinds", () => {
      const differing: string[] = [];
      for (const key of englishKeys as MessageKey[]) {
        const want = Object.fromEntries(argumentsOf(english[key]));
        const have = Object.fromEntries(argumentsOf(messages[key]));
        // A count may be a plural in one language and a plain number in another (where the
        // words do not change with it, or do only there); every other difference is a mistake.
        for (const [name, kind] of Object.entries(have)) {
          const counts = (k: ArgumentKind | undefined) => k === "plural" || k === "number";
          if (kind === "text" && counts(want[name])) have[name] = want[name]!;
          if (counts(kind) && want[name] === "text") have[name] = "text";
        }
        if (
          JSON.stringify(have, Object.keys(have).sort()) !==
          JSON.stringify(want, Object.keys(want).sort())
        ) {
          differing.push(`${key}: ${JSON.stringify(have)} ≠ English ${JSON.stringify(want)}`);
        }
      }
      expect(differing).toEqual([]);
    });

    it("formats every message with sample values, for one and for many", () => {
      const language = new Language(tag, messages);
      for (const key of englishKeys as MessageKey[]) {
        for (const count of [1, 2, 5]) {
          // The kinds this language uses (a count it says with a plural gets a number).
          const params = Object.fromEntries(
            [...argumentsOf(english[key]), ...argumentsOf(messages[key])].map(([name, kind]) => [
              name,
              sample(kind, count),
            ]),
          );
          const text = String(language.compile(key).format(params));
          expect(text.length, key).toBeGreaterThan(0);
          expect(text, key).not.toMatch(/[{}]/);
        }
      }
    });
  });
});
