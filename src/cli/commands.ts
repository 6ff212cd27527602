import type { Command } from "./command.js";
import { cleanupCommand } from "./commands/cleanup.js";
import { eventsCommand } from "./commands/events.js";
import { keysDelete, keysList } from "./commands/keys.js";
import { migrateCommand } from "./commands/migrate.js";
import { serveCommand } from "./commands/serve.js";
import { twoFactorReset } from "./commands/two-factor.js";
import {
  usersActivate,
  usersCreate,
  usersDeactivate,
  usersList,
  usersLock,
  usersUnlock,
} from "./commands/users.js";

/** Every command, in the order help lists them. */
export const commands: Command[] = [
  migrateCommand,
  serveCommand,
  usersCreate,
  usersList,
  usersDeactivate,
  usersActivate,
  usersLock,
  usersUnlock,
  keysList,
  keysDelete,
  twoFactorReset,
  cleanupCommand,
  eventsCommand,
];
