import { expect } from "vitest";
import { cookieHeader, type Harness, keepCookies } from "./harness.js";

/** A browser without JavaScript: keeps cookies, does not follow redirects, posts forms. */
export class FormBrowser {
  readonly cookies = new Map<string, string>();
  constructor(readonly h: Harness) {}

  async request(
    method: string,
    path: string,
    init: { body?: string; headers?: Record<string, string> } = {},
  ) {
    const cookie = cookieHeader(this.cookies);
    const response = await fetch(`${this.h.baseUrl}${path}`, {
      method,
      redirect: "manual",
      headers: { ...(cookie ? { cookie } : {}), ...init.headers },
      ...(init.body !== undefined ? { body: init.body } : {}),
    });
    keepCookies(this.cookies, response.headers);
    return { status: response.status, headers: response.headers, text: await response.text() };
  }

  get(path: string) {
    return this.request("GET", path, { headers: { accept: "text/html" } });
  }

  /** Loads `page`, then submits a form to `action` with the page's CSRF token. */
  async submit(page: string, action: string, fields: Record<string, string>) {
    const loaded = await this.get(page);
    expect(loaded.status, loaded.text.slice(0, 200)).toBe(200);
    const csrfToken = /name="csrfToken" value="([^"]+)"/.exec(loaded.text)?.[1] ?? "";
    return this.post(action, { csrfToken, ...fields });
  }

  post(action: string, fields: Record<string, string>, accept = "text/html,application/xhtml+xml") {
    return this.request("POST", action, {
      body: new URLSearchParams(fields).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", accept },
    });
  }
}
