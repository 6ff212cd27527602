import type { KeywardConfig } from "../config/schema.js";
import { ConfigError } from "../core/errors.js";
import { english, type MessageKey, type Messages } from "./catalogue.js";
import { shippedLanguages } from "./languages.js";
import { languagePicker } from "./negotiate.js";
import { Language } from "./translator.js";

/**
 * An app's own texts by language tag (`languages` in createKeyward's options): for a shipped
 * language, any subset of its keys to override; for another tag, a new language, whose
 * missing keys say the English text.
 */
export type AppLanguages = Readonly<Record<string, Partial<Messages>>>;

/**
 * The languages one Keyward instance speaks: the shipped ones and the app's, with the app's
 * overrides, narrowed to `i18n.locales`; each request gets one of them (`pick`). Built once
 * at start, so a message that does not parse, or a tag nothing answers, stops the start.
 */
export class Languages {
  /** The offered tags, in configuration order. */
  readonly tags: readonly string[];
  /** The tag for a request that names no offered language. */
  readonly defaultTag: string;
  private readonly byTag = new Map<string, Language>();
  private readonly picker: (acceptLanguage: string | null | undefined) => string;

  constructor(
    config: KeywardConfig["i18n"],
    appLanguages: AppLanguages = {},
    /** `pages.messages`, as before languages existed: overrides of the English texts. */
    englishOverrides: Partial<Messages> = {},
  ) {
    const added = canonicalKeys({ ...appLanguages });
    added.en = { ...englishOverrides, ...added.en };
    const known = new Set([...Object.keys(shippedLanguages), ...Object.keys(added)]);
    const tags = (config.locales ?? [...known]).map(canonical);
    const defaultTag = canonical(config.defaultLocale);
    const issues: { key: string; reason: string }[] = [];
    for (const tag of tags) {
      if (!known.has(tag)) {
        issues.push({
          key: "i18n.locales",
          reason: `"${tag}" is neither shipped (${Object.keys(shippedLanguages).join(", ")}) nor given in the languages option`,
        });
      }
    }
    if (!tags.includes(defaultTag)) {
      issues.push({
        key: "i18n.defaultLocale",
        reason: `"${defaultTag}" is not among the offered languages (${tags.join(", ")})`,
      });
    }
    for (const tag of tags.filter((t) => known.has(t))) {
      const base: Readonly<Messages> = (shippedLanguages as Record<string, Readonly<Messages>>)[
        tag
      ] ?? { ...english, lang: tag };
      const own = added[tag] ?? {};
      const language = new Language(tag, { ...base, ...own });
      for (const key of Object.keys(own)) {
        if (!Object.hasOwn(english, key)) {
          issues.push({ key: `languages.${tag}`, reason: `"${key}" is not a message key` });
          continue;
        }
        try {
          language.compile(key as MessageKey);
        } catch (error) {
          issues.push({
            key: `languages.${tag}`,
            reason: `"${key}" is not valid ICU MessageFormat (${(error as Error).message})`,
          });
        }
      }
      this.byTag.set(tag, language);
    }
    if (issues.length > 0) throw new ConfigError(issues);
    this.tags = tags;
    this.defaultTag = defaultTag;
    this.picker = languagePicker(tags, defaultTag);
  }

  /** The language of `tag`, or the default one when `tag` is not offered. */
  get(tag: string | undefined): Language {
    return (tag && this.byTag.get(tag)) || (this.byTag.get(this.defaultTag) as Language);
  }

  /** The offered language a request's `Accept-Language` asks for (the default if none). */
  pick(acceptLanguage: string | null | undefined): string {
    return this.picker(acceptLanguage);
  }
}

function canonical(tag: string): string {
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? tag;
  } catch {
    throw new ConfigError([{ key: "languages", reason: `"${tag}" is not a BCP 47 language tag` }]);
  }
}

function canonicalKeys(languages: AppLanguages): Record<string, Partial<Messages>> {
  return Object.fromEntries(
    Object.entries(languages).map(([tag, texts]) => [canonical(tag), texts]),
  );
}
