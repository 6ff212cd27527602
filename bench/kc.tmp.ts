import BetterSqlite3 from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
const raw = new BetterSqlite3(":memory:");
raw.exec("create table t (id text primary key, a text, b text, c integer)");
raw.prepare("insert into t values ('x','a','b',1)").run();
const db = new Kysely<any>({ dialect: new SqliteDialect({ database: raw }) });
const st = raw.prepare('select * from "t" where "id" = ?');
function cpu(label: string, n: number, f: () => unknown) { for (let i = 0; i < 2000; i++) f(); const c0 = process.cpuUsage(); for (let i = 0; i < n; i++) f(); const c = process.cpuUsage(c0); console.log(label.padEnd(30), ((c.user + c.system) / n).toFixed(2), "µs"); }
async function cpuA(label: string, n: number, f: () => Promise<unknown>) { for (let i = 0; i < 2000; i++) await f(); const c0 = process.cpuUsage(); for (let i = 0; i < n; i++) await f(); const c = process.cpuUsage(c0); console.log(label.padEnd(30), ((c.user + c.system) / n).toFixed(2), "µs"); }
cpu("raw prepared get", 50000, () => st.get("x"));
cpu("kysely build+compile", 50000, () => db.selectFrom("t").selectAll().where("id", "=", "x").compile());
await cpuA("kysely execute (no stmt cache)", 20000, () => db.selectFrom("t").selectAll().where("id", "=", "x").executeTakeFirst());
const compiled = db.selectFrom("t").selectAll().where("id", "=", "x").compile();
await cpuA("kysely executeQuery(compiled)", 20000, () => db.executeQuery(compiled));
