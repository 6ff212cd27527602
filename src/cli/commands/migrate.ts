import type { Command } from "../command.js";

export const migrateCommand: Command = {
  name: "migrate",
  summary: "Bring the database schema up to date",
  details:
    "Runs every pending migration, in order, under Kysely's migration lock (safe while other\n" +
    "instances start). For apps started with `migrate: false`. Prints the migrations applied.",
  async run(cli) {
    const { database } = cli.config();
    const { migrate } = await import("../../store/kysely/index.js");
    const applied = await migrate(database);
    return {
      json: { applied },
      text:
        applied.length === 0
          ? "Already up to date."
          : applied.map((name) => `applied ${name}`).join("\n"),
    };
  },
};
