/** Messages between the bench runner and the server child (Node IPC). */

export interface ServerStats {
  /** Resident set size now. */
  rssBytes: number;
  /** Peak resident set size over the process's life (getrusage ru_maxrss). */
  maxRssBytes: number;
  heapUsedBytes: number;
  /** CPU time spent by the server so far, to tell how busy it was during a phase. */
  cpuUserMicros: number;
  cpuSystemMicros: number;
  /**
   * CPU time of the event-loop thread alone (user + system, from /proc; NaN where /proc is not
   * readable): one process serves no faster than this thread allows, whatever the others do.
   */
  mainThreadCpuMicros: number;
  /** Event-loop delay since the previous stats request: how long the loop was kept from work. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

export type ServerRequest = { type: "stats"; id: number } | { type: "exit" };

export type ServerMessage =
  | { type: "ready"; port: number; origin: string; stats: ServerStats }
  | { type: "stats"; id: number; stats: ServerStats };
