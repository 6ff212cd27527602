/**
 * UTS #39 §5.2 "Highly Restrictive": a username is written in one script, optionally with
 * Latin, or in one of the script sets a language needs (Japanese, Chinese with Bopomofo,
 * Korean). That refuses mixed-script look-alikes such as a Cyrillic "а" inside "alice"; digits
 * and the punctuation usernames allow (Common, Inherited) fit any script.
 */
const SCRIPTS = [
  "Latin",
  "Greek",
  "Cyrillic",
  "Armenian",
  "Hebrew",
  "Arabic",
  "Syriac",
  "Thaana",
  "Nko",
  "Devanagari",
  "Bengali",
  "Gurmukhi",
  "Gujarati",
  "Oriya",
  "Tamil",
  "Telugu",
  "Kannada",
  "Malayalam",
  "Sinhala",
  "Thai",
  "Lao",
  "Tibetan",
  "Myanmar",
  "Georgian",
  "Hangul",
  "Ethiopic",
  "Cherokee",
  "Canadian_Aboriginal",
  "Khmer",
  "Mongolian",
  "Hiragana",
  "Katakana",
  "Bopomofo",
  "Han",
  "Tifinagh",
  "Javanese",
  "Balinese",
  "Sundanese",
  "Vai",
  "Adlam",
] as const;

const scriptPatterns = SCRIPTS.map((name) => ({
  name,
  pattern: new RegExp(`^\\p{Script=${name}}$`, "u"),
}));
const neutral = /^[\p{Script=Common}\p{Script=Inherited}]$/u;

/** Script sets that one language writes together (UTS #39 "Highly Restrictive"). */
const ALLOWED_SETS: readonly (readonly string[])[] = [
  ["Latin", "Han", "Hiragana", "Katakana"],
  ["Latin", "Han", "Bopomofo"],
  ["Latin", "Han", "Hangul"],
];

function scriptOf(char: string): string {
  if (neutral.test(char)) return "Common";
  // A letter of a script not listed is its own script: it never mixes with another.
  return scriptPatterns.find((s) => s.pattern.test(char))?.name ?? `U+${char.codePointAt(0)}`;
}

/** Whether `username` stays within one script (or one language's set of scripts). */
export function isSingleScript(username: string): boolean {
  const scripts = new Set<string>();
  for (const char of username) {
    const script = scriptOf(char);
    if (script !== "Common") scripts.add(script);
  }
  if (scripts.size <= 1) return true;
  return ALLOWED_SETS.some((set) => [...scripts].every((s) => set.includes(s)));
}
