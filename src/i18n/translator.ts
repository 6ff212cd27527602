import { IntlMessageFormat } from "intl-messageformat";
import {
  english,
  type MessageKey,
  type MessageParams,
  type Messages,
  type Translate,
} from "./catalogue.js";

/**
 * One language, ready to format: its messages (shipped texts with the app's overrides) and a
 * cache of compiled ICU formatters, one per key, built on first use (parsing a message costs
 * far more than formatting it, and a page formats dozens).
 */
export class Language {
  private readonly formatters = new Map<MessageKey, IntlMessageFormat>();
  /** Intl formatters, built on first use: constructing one costs far more than using it. */
  private readonly units = new Map<"day" | "hour" | "minute", Intl.NumberFormat>();
  private conjunction: Intl.ListFormat | undefined;
  /** Keys whose formatting failed and was reported (once each). */
  private readonly warned = new Set<MessageKey>();
  /** Formats `key` with `params` in this language. */
  readonly t: Translate;

  constructor(
    /** Its BCP 47 tag ("de", "pt-BR"): the pages' `lang`, and the locale of numbers and dates. */
    readonly tag: string,
    readonly messages: Readonly<Messages>,
  ) {
    this.t = (key, params) => this.format(key, params);
  }

  /** The compiled formatter of `key`; throws when the message is not valid MessageFormat. */
  compile(key: MessageKey): IntlMessageFormat {
    let formatter = this.formatters.get(key);
    if (!formatter) {
      // ignoreTag: "<" is text in these messages (never rich-text tags).
      formatter = new IntlMessageFormat(this.messages[key], this.tag, undefined, {
        ignoreTag: true,
      });
      this.formatters.set(key, formatter);
    }
    return formatter;
  }

  private format(key: MessageKey, params?: MessageParams): string {
    const text = this.messages[key];
    // Most texts have no placeholder and no quote: they are their own result.
    if (!/[{}']/.test(text)) return text;
    try {
      return String(this.compile(key).format(params));
    } catch (error) {
      // A text (an app's override, say) that names a value the caller did not give must not
      // break a page or a mail: say it as written, and tell the operator once.
      if (!this.warned.has(key)) {
        this.warned.add(key);
        console.error(`keyward: the ${this.tag} message "${key}" could not be formatted`, error);
      }
      return text;
    }
  }

  /** "30 minutes", "3 days": a lifetime in whole days, hours or minutes, in this language. */
  duration(ms: number): string {
    const units: [number, "day" | "hour" | "minute"][] = [
      [86_400_000, "day"],
      [3_600_000, "hour"],
      [60_000, "minute"],
    ];
    const [size, unit] = units.find(([size]) => ms >= size && ms % size === 0) ?? [
      60_000,
      "minute",
    ];
    const amount = unit === "minute" ? Math.max(1, Math.round(ms / size)) : ms / size;
    let format = this.units.get(unit);
    if (!format) {
      format = new Intl.NumberFormat(this.tag, { style: "unit", unit, unitDisplay: "long" });
      this.units.set(unit, format);
    }
    return format.format(amount);
  }

  /** "a, b and c" in this language. */
  list(items: readonly string[]): string {
    this.conjunction ??= new Intl.ListFormat(this.tag, { type: "conjunction" });
    return this.conjunction.format(items);
  }
}

/** English as shipped: for texts made where no request (and no app override) applies. */
export const inEnglish = new Language("en", english);
