import { fork } from "node:child_process";
import { Agent, request } from "node:http";
const child = fork("bench/results/.build/server.mjs", [], { env: { ...process.env, BENCH_DATABASE: "sqlite::memory:" }, stdio: ["ignore", "inherit", "inherit", "ipc"], execArgv: process.env.PROF ? ["--cpu-prof", "--cpu-prof-dir=/tmp/hp"] : [] });
const ready: any = await new Promise((r) => child.on("message", (m: any) => m.type === "ready" && r(m)));
const agent = new Agent({ keepAlive: true, maxSockets: 16 });
const stats = (): Promise<any> => new Promise((r) => { child.once("message", (m: any) => r(m.stats)); child.send({ type: "stats", id: 1 }); });
const get = (path: string, method = "GET", body?: string) => new Promise<number>((resolve, reject) => { const req = request({ host: "127.0.0.1", port: ready.port, path, method, agent, headers: body ? { "content-type": "application/json", "content-length": Buffer.byteLength(body) } : {} }, (res) => { res.resume(); res.on("end", () => resolve(res.statusCode!)); }); req.on("error", reject); req.end(body); });
for (const [path, method, body] of [["/auth/wan-signin", "POST", "{}"]] as const) {
  const s0 = await stats(); let n = 0; const t0 = performance.now();
  await Promise.all(Array.from({ length: 8 }, async () => { while (performance.now() - t0 < 3000) { await get(path, method, body); n++; } }));
  const s1 = await stats();
  console.log(method, path, "req/s", (n / 3).toFixed(0), "server cpu µs/req", ((s1.cpuUserMicros + s1.cpuSystemMicros - s0.cpuUserMicros - s0.cpuSystemMicros) / n).toFixed(0));
}
child.send({ type: "exit" }); agent.destroy();
