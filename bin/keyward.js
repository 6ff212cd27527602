#!/usr/bin/env node
// The `keyward` command. An installed package runs its build (dist/). A source checkout runs
// src/ through tsx (a devDependency), so `npx keyward` works straight after `npm ci`, before
// any build, and never runs a build older than the sources.
import { existsSync } from "node:fs";

const source = new URL("../src/cli/main.ts", import.meta.url);

async function tsxRegistered() {
  try {
    const { register } = await import("tsx/esm/api");
    register();
    return true;
  } catch {
    return false; // installed without devDependencies: use the build
  }
}

if (existsSync(source) && (await tsxRegistered())) await import(source.href);
else await import("../dist/cli/main.js");
