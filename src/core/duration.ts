const unitMs = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A duration: milliseconds, or a string such as "90s", "5m", "12h", "30d". */
export type Duration = number | `${number}${keyof typeof unitMs}`;

const pattern = /^(\d+)(ms|s|m|h|d)$/;

/** Milliseconds of a duration, or undefined when the text is not one. */
export function parseDuration(value: Duration | string): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value : undefined;
  const match = pattern.exec(value.trim());
  if (!match) return undefined;
  return Number(match[1]) * unitMs[match[2] as keyof typeof unitMs];
}
