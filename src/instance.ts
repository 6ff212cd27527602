import type { Store } from "./store/store.js";

// The store stays internal (it is no part of `Keyward`); tests and in-repo tooling reach it
// through the instance here. No entry point (index, node, fastify, testing, pages) exports this.
const stores = new WeakMap<object, Store>();

/** Remembers the store behind an instance (createKeyward calls it once). */
export function keepStore(auth: object, store: Store): void {
  stores.set(auth, store);
}

/** The store behind a Keyward instance; throws for an object createKeyward did not make. */
export function storeOf(auth: object): Store {
  const store = stores.get(auth);
  if (!store) throw new Error("storeOf: not a Keyward instance made by createKeyward()");
  return store;
}
