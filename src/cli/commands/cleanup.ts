import { cleanupExpired } from "../../session/cleanup.js";
import type { Command } from "../command.js";

export const cleanupCommand: Command = {
  name: "cleanup",
  summary: "Delete expired ceremony states and sessions",
  details:
    "Deletes ceremony states past their lifetime and sessions past their lifetime or idle\n" +
    "timeout (session.idleTimeout from the configuration). Expired rows are refused anyway;\n" +
    "this keeps the tables small. Schedule it, e.g. hourly.",
  async run(cli) {
    const admin = await cli.admin();
    const deleted = await cleanupExpired(admin);
    return {
      json: { deleted },
      text: Object.entries(deleted)
        .map(([what, count]) => `deleted ${count} expired ${what}`)
        .join("\n"),
    };
  },
};
