import { isIPv4, isIPv6 } from "node:net";

/**
 * The client as per-client limits count it: an IPv4 address as it is, an IPv6 address as its
 * network prefix (`prefixBits`, /64 by default: one subscriber commonly holds a whole /64 and
 * can rotate through it at will), an IPv4-mapped IPv6 address as the IPv4 one.
 *
 * @example
 * clientSubject("2001:db8:1:2:aaaa::1", 64) // "2001:db8:1:2::/64"
 */
export function clientSubject(ip: string, prefixBits: number): string {
  if (isIPv4(ip)) return ip;
  if (!isIPv6(ip)) return ip;
  const groups = expandIPv6(ip);
  const mapped = groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
  if (mapped)
    return [groups[6]! >> 8, groups[6]! & 255, groups[7]! >> 8, groups[7]! & 255].join(".");
  const kept = groups.map((group, index) => {
    const bitsBefore = index * 16;
    if (bitsBefore >= prefixBits) return 0;
    const keep = Math.min(16, prefixBits - bitsBefore);
    return group & (0xffff << (16 - keep)) & 0xffff;
  });
  return `${kept.map((g) => g.toString(16)).join(":")}/${prefixBits}`;
}

/** Eight 16-bit groups of a valid IPv6 address (with `::` and a trailing IPv4 part expanded). */
function expandIPv6(ip: string): number[] {
  let text = ip.split("%")[0]!.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4[1]!.split(".").map(Number) as [number, number, number, number];
    text = `${text.slice(0, -v4[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  const missing = 8 - left.length - right.length;
  const all = tail === undefined ? left : [...left, ...Array(missing).fill("0"), ...right];
  return all.map((group) => Number.parseInt(group, 16));
}
