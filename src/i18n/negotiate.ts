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
  if (!acceptLanguage) return fallback;
  const byTag = new Map(offered.map((tag) => [tag.toLowerCase(), tag]));
  const byPrimary = new Map<string, string>();
  for (const tag of offered) {
    const primary = primaryOf(tag.toLowerCase());
    if (!byPrimary.has(primary)) byPrimary.set(primary, tag);
  }
  for (const range of ranges(acceptLanguage)) {
    if (range === "*") return fallback;
    const found = byTag.get(range) ?? byPrimary.get(primaryOf(range));
    if (found) return found;
  }
  return fallback;
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
