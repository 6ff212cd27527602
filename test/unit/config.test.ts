import { readFileSync } from "node:fs";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { z } from "zod";
import { configOptionsSource } from "../../scripts/config-options.js";
import { loadConfig } from "../../src/config/load.js";
import { configKeys, configReferenceMarkdown } from "../../src/config/reference.js";
import type { configSchema, KeywardConfigInput } from "../../src/config/schema.js";
import { ConfigError } from "../../src/core/errors.js";
import type { KeywardOptions } from "../../src/index.js";

const minimal = {
  rp: { id: "example.com", name: "Example", origins: ["https://example.com"] },
  secret: "unit-test-secret-0123456789-abcdefghijklmnop",
};

describe("configuration", () => {
  it("fills in secure defaults", () => {
    const config = loadConfig(minimal, {});
    expect(config.database).toBe("sqlite:./keyward.db");
    expect(config.prefix).toBe("/auth");
    expect(config.session).toMatchObject({
      cookieName: "keyward_session",
      freshWithin: 600_000,
      secureCookie: "auto",
    });
    expect(config.webauthn).toMatchObject({
      allowAsFirstFactor: true,
      allowAsMultiFactor: true,
      allowUserHints: true,
      allowAsVerify: ["first", "secondary"],
      counterPolicy: "warn",
      registerWithin: 300_000,
    });
  });

  it("refuses an option that does not exist, at any depth, naming the one probably meant", () => {
    const typos = () =>
      loadConfig(
        {
          ...minimal,
          sesion: {},
          rateLimits: { ceremonyStartsPerIP: 5 },
          session: { lifetme: "1h" },
          webauthn: { somethingElse: true },
        } as unknown as KeywardConfigInput,
        {},
      );
    expect(typos).toThrow(ConfigError);
    try {
      typos();
    } catch (error) {
      const issues = (error as ConfigError).issues;
      expect(Object.fromEntries(issues.map((i) => [i.key, i.reason]))).toEqual({
        sesion: "not a Keyward option; did you mean session? (all options: docs/configuration.md)",
        "rateLimits.ceremonyStartsPerIP":
          "not a Keyward option; did you mean rateLimits.ceremonyStartsPerIp? (all options: docs/configuration.md)",
        "session.lifetme":
          "not a Keyward option; did you mean session.lifetime? (all options: docs/configuration.md)",
        "webauthn.somethingElse": "not a Keyward option (all options: docs/configuration.md)",
      });
    }
  });

  it("refuses a database or Redis URL of another kind", () => {
    for (const [input, key] of [
      [{ database: "mysql://db/app" }, "database"],
      [{ redis: "localhost:6379" }, "redis"],
      [{ redis: "http://cache" }, "redis"],
    ] as const) {
      expect(() => loadConfig({ ...minimal, ...input }, {}), key).toThrow(
        expect.objectContaining({ issues: [expect.objectContaining({ key })] }),
      );
    }
    expect(loadConfig({ ...minimal, redis: "rediss://cache:6380/2" }, {}).redis).toBe(
      "rediss://cache:6380/2",
    );
  });

  it("fails at start naming each bad key and the reason", () => {
    const bad = () =>
      loadConfig(
        {
          rp: { id: "", name: "X", origins: ["http://example.com/path"] },
          secret: "short",
          session: { lifetime: "forever" },
        },
        {},
      );
    expect(bad).toThrow(ConfigError);
    try {
      bad();
    } catch (error) {
      const keys = (error as ConfigError).issues.map((i) => i.key);
      expect(keys).toEqual(
        expect.arrayContaining(["rp.id", "rp.origins.0", "secret", "session.lifetime"]),
      );
      expect((error as Error).message).toMatch(
        /secret: too short \(5 characters, at least 32 needed\): set KEYWARD_SECRET/,
      );
      expect((error as Error).message).toMatch(/session.lifetime: "forever" is not a duration/);
    }
  });

  it("says which variable to set, and what it needs, for a missing, short or weak secret", () => {
    const { secret: _, ...withoutSecret } = minimal;
    const reasons = (secret: string | undefined, env: Record<string, string> = {}) => {
      try {
        loadConfig({ ...withoutSecret, ...(secret === undefined ? {} : { secret }) } as never, env);
      } catch (error) {
        return (error as ConfigError).issues.filter((i) => i.key === "secret").map((i) => i.reason);
      }
      return [];
    };
    const advice =
      /set KEYWARD_SECRET \(or `secret` in the options\) to 32 random bytes, e\.g\. the output of `openssl rand -base64 32`$/;
    const [missing] = reasons(undefined);
    expect(missing).toMatch(/^missing: /);
    expect(missing).toMatch(advice);
    const [short] = reasons(undefined, { KEYWARD_SECRET: "too-short-secret" });
    expect(short).toMatch(/^too short \(16 characters, at least 32 needed\): /);
    expect(short).toMatch(advice);
    const [weak] = reasons("changeme".repeat(5));
    expect(weak).toMatch(/^too weak \(it repeats a short pattern\): /);
    expect(weak).toMatch(advice);
  });

  it("applies KEYWARD_* environment overrides over code, typed by the schema", () => {
    const config = loadConfig(minimal, {
      KEYWARD_WEBAUTHN_ALLOW_USER_HINTS: "false",
      KEYWARD_WEBAUTHN_ALLOW_AS_VERIFY: "first",
      KEYWARD_HTTP_BODY_LIMIT: "2048",
      KEYWARD_SESSION_FRESH_WITHIN: "5m",
      KEYWARD_RP_ORIGINS: "https://a.example.com, https://b.example.com",
      KEYWARD_DATABASE: "sqlite::memory:",
    });
    expect(config.webauthn.allowUserHints).toBe(false);
    expect(config.webauthn.allowAsVerify).toEqual(["first"]);
    expect(config.http.bodyLimit).toBe(2048);
    expect(config.session.freshWithin).toBe(300_000);
    expect(config.rp.origins).toEqual(["https://a.example.com", "https://b.example.com"]);
    expect(config.database).toBe("sqlite::memory:");
  });

  it("names the variable when an environment value has the wrong type", () => {
    expect(() => loadConfig(minimal, { KEYWARD_MIGRATE: "sometimes" })).toThrow(
      /migrate: KEYWARD_MIGRATE="sometimes" is not a boolean/,
    );
  });

  it("says which KEYWARD_* variable to set for any other key that is missing or invalid", () => {
    const issues = (input: object, env: Record<string, string> = {}) => {
      try {
        loadConfig(input as never, env);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return Object.fromEntries((error as ConfigError).issues.map((i) => [i.key, i.reason]));
      }
      throw new Error("the configuration was accepted");
    };
    // A missing group names each variable it needs; a missing key, its own.
    expect(issues({ secret: minimal.secret }).rp).toBe(
      "missing: set KEYWARD_RP_ID, KEYWARD_RP_NAME and KEYWARD_RP_ORIGINS (or `rp` in the options)",
    );
    const partial = issues({ secret: minimal.secret, rp: { id: "example.com" } });
    expect(partial["rp.name"]).toBe("missing: set KEYWARD_RP_NAME (or `rp.name` in the options)");
    expect(partial["rp.origins"]).toBe(
      "missing: set KEYWARD_RP_ORIGINS (or `rp.origins` in the options)",
    );
    // An invalid value keeps why, and adds where to fix it (an array's item: the array's variable).
    const invalid = issues({
      ...minimal,
      http: { bodyLimit: 10 },
      webauthn: { allowAsVerify: ["everything"] },
    });
    expect(invalid["http.bodyLimit"]).toMatch(
      /^Too small: .*1024: set KEYWARD_HTTP_BODY_LIMIT \(or `http.bodyLimit` in the options\)$/,
    );
    expect(invalid["webauthn.allowAsVerify.0"]).toMatch(
      /: set KEYWARD_WEBAUTHN_ALLOW_AS_VERIFY \(or `webauthn.allowAsVerify` in the options\)$/,
    );
    // A bad value from the environment says so, with the variable and what it held.
    expect(issues(minimal, { KEYWARD_SESSION_LIFETIME: "forever" })["session.lifetime"]).toMatch(
      /^"forever" is not a duration.* \(KEYWARD_SESSION_LIFETIME is "forever"\): set KEYWARD_SESSION_LIFETIME/,
    );
    // The secret's own advice is kept, not doubled.
    const { secret: _, ...noSecret } = minimal;
    expect(issues(noSecret).secret).toMatch(
      /^missing: set KEYWARD_SECRET \(or `secret` in the options\) to 32/,
    );
    expect(issues(noSecret).secret?.match(/KEYWARD_SECRET/g)).toHaveLength(1);
  });

  it("documents every key, and docs/configuration.md is up to date", () => {
    for (const key of configKeys()) expect(key.description, key.key).not.toBe("");
    const onDisk = readFileSync(new URL("../../docs/configuration.md", import.meta.url), "utf8");
    expect(onDisk, "run `npm run docs:config`").toBe(configReferenceMarkdown());
  });

  it("documents every key on hover: src/config/options.generated.ts is up to date", () => {
    const onDisk = readFileSync(
      new URL("../../src/config/options.generated.ts", import.meta.url),
      "utf8",
    );
    expect(onDisk, "run `npm run docs:config`").toBe(configOptionsSource());
    for (const key of configKeys()) expect(onDisk, key.key).toContain(`\`${key.env}\``);
  });

  it("types the options createKeyward takes exactly as the schema accepts them", () => {
    // Checked by the type checker (`tsc --noEmit`, part of `npm test`), not at run time.
    expectTypeOf<KeywardConfigInput>().toEqualTypeOf<z.input<typeof configSchema>>();
    expectTypeOf<z.input<typeof configSchema>>().toExtend<KeywardConfigInput>();
    expectTypeOf<KeywardConfigInput>().toExtend<z.input<typeof configSchema>>();
    expectTypeOf<KeywardOptions>().toExtend<z.input<typeof configSchema>>();
  });
});

describe("database URL", () => {
  it("refuses a pool size or statement timeout that is not a positive integer", async () => {
    const { connect } = await import("../../src/store/kysely/connect.js");
    await expect(connect("postgres://127.0.0.1/test?pool=0")).rejects.toThrow(
      /pool must be a positive integer/,
    );
    await expect(connect("postgres://127.0.0.1/test?statement_timeout=soon")).rejects.toThrow(
      /statement_timeout/,
    );
    await expect(connect("mysql://127.0.0.1/test")).rejects.toThrow(/neither sqlite/);
  });
});
