/**
 * The language for a request: the first of the client's `Accept-Language` ranges, by q-value
 * (ties in header order), that an offered language answers. A range answers an offered tag
 * that equals it ("de-AT" → "de-AT"), else one with its primary language ("de-AT" → "de",
 * "pt" → "pt-BR"); `*` or nothing offered gives `fallback`. Never throws: a malformed header
 * is no preference at all.
 *
 * @example
 * pickLanguage("de-AT,de;q=0.9,en;q=0.5", ["en", "de", "fr"], "en"); // "de"
 */
export function pickLanguage(
  acceptLanguage: string | null | undefined,
  offered: readonly string[],
  fallback: string,
): string {
  return languagePicker(offered, fallback)(acceptLanguage);
}

/** Headers remembered per picker, and the longest one remembered (browsers send ~10–60 chars). */
const REMEMBERED = 256;
const REMEMBERED_LENGTH = 200;

/**
 * `pickLanguage` for one set of offered languages, made once (at start): the lookup tables are
 * built here, and the answer for each short header is remembered (up to 256 of them), since
 * every request asks and browsers send a handful of distinct headers.
 */
export function languagePicker(
  offered: readonly string[],
  fallback: string,
): (acceptLanguage: string | null | undefined) => string {
  const byTag = new Map(offered.map((tag) => [tag.toLowerCase(), tag]));
  const byPrimary = new Map<string, string>();
  for (const tag of offered) {
    const primary = primaryOf(tag.toLowerCase());
    if (!byPrimary.has(primary)) byPrimary.set(primary, tag);
  }
  const pick = (header: string): string => {
    for (const range of ranges(header)) {
      if (range === "*") return fallback;
      const found = byTag.get(range) ?? byPrimary.get(primaryOf(range));
      if (found) return found;
    }
    return fallback;
  };
  const remembered = new Map<string, string>();
  return (acceptLanguage) => {
    if (!acceptLanguage) return fallback;
    if (acceptLanguage.length > REMEMBERED_LENGTH) return pick(acceptLanguage);
    let tag = remembered.get(acceptLanguage);
    if (tag === undefined) {
      tag = pick(acceptLanguage);
      // Oldest first out: a stream of made-up headers only costs what it would uncached.
      if (remembered.size >= REMEMBERED) remembered.delete(remembered.keys().next().value!);
      remembered.set(acceptLanguage, tag);
    }
    return tag;
  };
}

function primaryOf(tag: string): string {
  return tag.split("-", 1)[0] ?? tag;
}

/** The header's language ranges, lower-cased, most wanted first; q=0 ("not this") left out. */
function ranges(header: string): string[] {
  const weighted: { range: string; q: number; index: number }[] = [];
  // A header longer than any browser sends is someone else's problem: read its start only.
  header
    .slice(0, 1024)
    .split(",")
    .forEach((part, index) => {
      const [rangePart = "", ...params] = part.split(";");
      const range = rangePart.trim().toLowerCase().replaceAll("_", "-");
      if (!/^(\*|[a-z]{1,8}(-[a-z0-9]{1,8})*)$/.test(range)) return;
      let q = 1;
      for (const param of params) {
        if (!/^\s*q\s*=/i.test(param)) continue;
        // A weight that is not one (q=2, q=high) makes the whole range unreadable: skip it.
        const match = /^\s*q\s*=\s*([01](\.\d{0,3})?)\s*$/i.exec(param);
        q = match ? Number(match[1]) : 0;
      }
      if (q > 0 && q <= 1) weighted.push({ range, q, index });
    });
  return weighted.sort((a, b) => b.q - a.q || a.index - b.index).map((w) => w.range);
}
