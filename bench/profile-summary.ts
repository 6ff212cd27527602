/**
 * Summarises a V8 .cpuprofile (from `npm run bench -- --profile`): self time by function and by
 * package, and total (inclusive) time of the functions that match --focus.
 *
 *   npx tsx bench/profile-summary.ts bench/results/profiles/<file>.cpuprofile [--top=40] [--focus=verify]
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const [file] = process.argv.slice(2).filter((a) => !a.startsWith("--"));
if (!file) throw new Error("usage: profile-summary <file.cpuprofile> [--top=N] [--focus=name]");
const top = Number(process.argv.find((a) => a.startsWith("--top="))?.slice(6) ?? 40);
const focus = process.argv.find((a) => a.startsWith("--focus="))?.slice(8);

const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const node of profile.nodes)
  for (const child of node.children ?? []) parent.set(child, node.id);

const selfMicros = new Map<number, number>();
profile.samples.forEach((id, i) => {
  selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const total = [...selfMicros.values()].reduce((a, b) => a + b, 0);

const where = (node: ProfileNode) => {
  const url = node.callFrame.url.replace(/^file:\/\//, "");
  const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1];
  if (pkg) return pkg;
  if (url.includes("/src/")) return `src/${url.split("/src/")[1]}`;
  if (url.startsWith("node:")) return url;
  return url || "(native)";
};
const nameOf = (node: ProfileNode) =>
  `${node.callFrame.functionName || "(anonymous)"} ${where(node)}:${node.callFrame.lineNumber + 1}`;

const sum = (map: Map<string, number>, key: string, value: number) =>
  map.set(key, (map.get(key) ?? 0) + value);

const bySelf = new Map<string, number>();
const byPackage = new Map<string, number>();
for (const [id, micros] of selfMicros) {
  const node = byId.get(id)!;
  sum(bySelf, nameOf(node), micros);
  sum(byPackage, where(node), micros);
}

const pct = (micros: number) => `${((micros / total) * 100).toFixed(1).padStart(5)}%`;
const print = (title: string, map: Map<string, number>, limit: number) => {
  console.log(`\n${title}`);
  for (const [key, micros] of [...map].sort((a, b) => b[1] - a[1]).slice(0, limit)) {
    console.log(`${pct(micros)}  ${(micros / 1000).toFixed(0).padStart(7)} ms  ${key}`);
  }
};

console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled`);
print("self time by package/file", byPackage, 25);
print("self time by function", bySelf, top);

if (focus) {
  // Inclusive time: a sample counts once for every distinct matching frame on its stack.
  const inclusive = new Map<string, number>();
  for (const [id, micros] of selfMicros) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const node = byId.get(at)!;
      const name = nameOf(node);
      if (!seen.has(name) && name.toLowerCase().includes(focus.toLowerCase())) {
        seen.add(name);
        sum(inclusive, name, micros);
      }
    }
  }
  print(`total time of frames matching "${focus}"`, inclusive, top);
}
