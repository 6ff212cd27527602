import { readFileSync } from "node:fs";

/**
 * CPU time (user + system, µs) of a process or thread from its /proc stat file (e.g.
 * `/proc/<pid>/stat`, `/proc/self/task/<tid>/stat`), in 10 ms ticks (USER_HZ is 100 on Linux).
 * Throws where /proc cannot be read.
 */
export function procCpuMicros(statFile: string): number {
  const stat = readFileSync(statFile, "utf8");
  // Fields after the command name: utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}
