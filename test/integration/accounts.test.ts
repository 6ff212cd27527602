import { describe, expect, it } from "vitest";
import { databaseTargets } from "../helpers/databases.js";
import { useHarness } from "../helpers/harness.js";

const targets = await databaseTargets();

describe.each(targets)("accounts and sessions on $name", (target) => {
  const h = useHarness(target);

  it("signs up, reads /me, logs out, logs back in", async () => {
    const c = h.client();
    const signup = await c.post("/register", {
      email: "Alice@Example.com",
      password: "correct horse",
    });
    expect(signup.status).toBe(201);
    expect(signup.body.user).toMatchObject({ email: "alice@example.com", hasPassword: true });
    const cookie = signup.headers.getSetCookie().join("\n");
    expect(cookie).toMatch(/keyward_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/); // plain-http localhost

    const me = await c.get("/me");
    expect(me.status).toBe(200);
    expect(me.body.session).toMatchObject({ aal: 1, amr: ["pwd"], fresh: true });

    const out = await c.post("/logout");
    expect(out.status).toBe(200);
    expect((await c.get("/me")).status).toBe(401);

    const login = await c.post("/login", {
      identity: "alice@example.com",
      password: "correct horse",
    });
    expect(login.status).toBe(200);
    expect(login.body.session).toMatchObject({ aal: 1, amr: ["pwd"] });
    expect((await c.get("/me")).body.user).toMatchObject({ email: "alice@example.com" });
  });

  it("keeps the server-side session dead after logout even if the old cookie is replayed", async () => {
    const c = h.client();
    await c.post("/register", { email: "replay@example.com", password: "correct horse" });
    const stolen = c.cookies.get("keyward_session")!;
    await c.post("/logout");
    const thief = h.client();
    thief.cookies.set("keyward_session", stolen);
    const me = await thief.get("/me");
    expect(me.status).toBe(401);
    expect(me.body).toMatchObject({ error: { code: "UNAUTHENTICATED" } });
  });

  it("issues a new session id at login (no fixation)", async () => {
    const c = h.client();
    await c.post("/register", { email: "fix@example.com", password: "correct horse" });
    const before = c.cookies.get("keyward_session")!;
    const login = await c.post("/login", {
      identity: "fix@example.com",
      password: "correct horse",
    });
    expect(login.status).toBe(200);
    const after = c.cookies.get("keyward_session")!;
    expect(after).not.toBe(before);
    const old = h.client();
    old.cookies.set("keyward_session", before);
    expect((await old.get("/me")).status).toBe(401);
  });

  it("answers a wrong password and an unknown account identically", async () => {
    const c = h.client();
    await c.post("/register", { email: "bob@example.com", password: "correct horse" });
    const wrong = await h
      .client()
      .post("/login", { identity: "bob@example.com", password: "nope nope" });
    const unknown = await h
      .client()
      .post("/login", { identity: "nobody@example.com", password: "nope nope" });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body).toMatchObject({ error: { code: "INVALID_CREDENTIALS" } });
  });

  it("logs in by username", async () => {
    const c = h.client();
    const r = await c.post("/register", {
      email: "carol@example.com",
      username: "Carol",
      password: "correct horse",
    });
    expect(r.status).toBe(201);
    const login = await h.client().post("/login", { identity: "carol", password: "correct horse" });
    expect(login.status).toBe(200);
  });

  it("refuses a duplicate email with EMAIL_TAKEN and writes nothing", async () => {
    await h.client().post("/register", { email: "dup@example.com", password: "correct horse" });
    const again = await h
      .client()
      .post("/register", { email: "DUP@example.com", password: "other password" });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: "EMAIL_TAKEN" } });
    const login = await h
      .client()
      .post("/login", { identity: "dup@example.com", password: "other password" });
    expect(login.status).toBe(401);
  });

  it("requires a password unless passwordless accounts are allowed", async () => {
    const r = await h.client().post("/register", { email: "nopw@example.com" });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: { code: "PASSWORD_REQUIRED" } });
  });

  it("re-verifies the password to freshen the session, and expires freshness", async () => {
    const c = h.client();
    await c.post("/register", { email: "fresh@example.com", password: "correct horse" });
    h.clock.advance(11 * 60_000);
    expect((await c.get("/me")).body.session).toMatchObject({ fresh: false });
    const bad = await c.post("/verify", { password: "wrong password" });
    expect(bad.body).toMatchObject({ error: { code: "INVALID_CREDENTIALS" } });
    const ok = await c.post("/verify", { password: "correct horse" });
    expect(ok.status).toBe(200);
    expect(ok.body.session).toMatchObject({ fresh: true });
  });

  it("ends a session after the idle timeout", async () => {
    const c = h.client();
    await c.post("/register", { email: "idle@example.com", password: "correct horse" });
    h.clock.advance(8 * 24 * 3_600_000);
    expect((await c.get("/me")).status).toBe(401);
  });
});
