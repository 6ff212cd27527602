import type { Command } from "./command.js";
import { usersResetAccess, usersSetPassword } from "./commands/access.js";
import { cleanupCommand } from "./commands/cleanup.js";
import { eventsCommand } from "./commands/events.js";
import { importCommand } from "./commands/import.js";
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
  usersSetPassword,
  usersResetAccess,
  importCommand,
  usersLock,
  usersUnlock,
  keysList,
  keysDelete,
  twoFactorReset,
  cleanupCommand,
  eventsCommand,
];
