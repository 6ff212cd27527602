// A Keyward server in its own process, for multi-instance tests: configured by KEYWARD_* env,
// it prints "READY <port>" once it listens, and shuts down gracefully on SIGTERM.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createKeyward } from "../../src/index.js";
import { toNodeHandler } from "../../src/node.js";

const auth = await createKeyward({
  rp: { id: "localhost", name: "Keyward Instance", origins: ["http://localhost:3000"] },
  secret: "test-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
});
const server = createServer(toNodeHandler(auth));
server.listen(0, "127.0.0.1", () => {
  console.log(`READY ${(server.address() as AddressInfo).port}`);
});
process.on("SIGTERM", async () => {
  await auth.close();
  server.close(() => process.exit(0));
});
