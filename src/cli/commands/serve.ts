import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type Command, UsageError } from "../command.js";
import { configInput } from "../config.js";

function port(value: string | boolean | undefined, env: string | undefined): number {
  const text = typeof value === "string" ? value : (env ?? "3000");
  if (!/^\d+$/.test(text) || Number(text) > 65_535) {
    throw new UsageError(`--port: a port number from 0 to 65535, not "${text}"`, serveCommand);
  }
  return Number(text);
}

export const serveCommand: Command = {
  name: "serve",
  summary: "Run Keyward over HTTP: JSON API, pages, /.well-known/webauthn",
  options: {
    port: {
      type: "string",
      value: "<port>",
      description: "Port to listen on (default $PORT or 3000; 0 = any free port)",
    },
    host: {
      type: "string",
      value: "<host>",
      description: "Address to listen on (default: every interface)",
    },
  },
  details:
    "Serves Keyward alone (toNodeHandler) with the configuration from --config and KEYWARD_*:\n" +
    "the JSON API and pages under the prefix, GET /.well-known/webauthn, and / redirecting to the\n" +
    "account page. Without configuration it runs as a local demo: rp.id localhost, origin\n" +
    "http://localhost:<port>, database sqlite:./keyward.db and a random secret (sessions end at\n" +
    "restart). Stops cleanly on SIGINT or SIGTERM, letting requests in flight finish.",
  async run(cli) {
    const listenPort = port(cli.options.port, cli.env.PORT);
    const host = typeof cli.options.host === "string" ? cli.options.host : undefined;
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(listenPort, host, () => resolve());
    });
    const actualPort = (server.address() as AddressInfo).port;
    const origin = `http://localhost:${actualPort}`;

    const sources = {
      config: cli.options.config as string | undefined,
      database: cli.options.database as string | undefined,
    };
    const { input, env, fromFile } = configInput(sources, cli.env, {
      rp: { id: "localhost", name: "Keyward", origins: [origin] },
    });
    if (fromFile.secret === undefined && !env.KEYWARD_SECRET) {
      cli.log(
        "keyward: KEYWARD_SECRET is not set; using a random secret (sessions end at restart).",
      );
      input.secret = randomBytes(32).toString("base64url");
    }
    // Loaded here, not at start: the other commands do without the HTTP app.
    const { createKeyward } = await import("../../index.js");
    const { toNodeHandler } = await import("../../node.js");
    let auth: Awaited<ReturnType<typeof createKeyward>>;
    try {
      auth = await createKeyward({ ...input, env });
    } catch (error) {
      server.close();
      throw error;
    }
    const handler = toNodeHandler(auth);
    const home = `${auth.config.prefix.replace(/\/+$/, "")}/account`;
    server.on("request", (req, res) => {
      if (req.url === "/" && (req.method === "GET" || req.method === "HEAD")) {
        res.writeHead(302, { location: home });
        res.end();
        return;
      }
      handler(req, res);
    });
    const listening = {
      url: `http://${host ?? "localhost"}:${actualPort}`,
      origins: auth.config.rp.origins,
      prefix: auth.config.prefix,
    };
    cli.out(
      cli.options.json === true
        ? JSON.stringify({ listening })
        : `Keyward listening on ${listening.url} (API and pages under ${listening.prefix}; origins ${listening.origins.join(", ")})`,
    );

    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    cli.log(`keyward: ${signal}: finishing requests in flight, then stopping`);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    await auth.close();
    server.closeAllConnections();
    await closed;
    return { json: undefined, text: "" };
  },
};
