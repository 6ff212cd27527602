import { describe, expect, it } from "vitest";
import type { Usage } from "../../src/index.js";
import { WebauthnUtil } from "../../src/index.js";
import { uniqueEmail } from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { FormBrowser } from "../helpers/form-browser.js";
import { type Harness, useHarness } from "../helpers/harness.js";
import { Mailbox } from "../helpers/mailbox.js";

const [sqlite] = await databaseTargets();

/** The `attachment` radio a page checks, or null when it leaves the choice open. */
const checkedAttachment = (text: string) =>
  /name="attachment" value="([^"]+)" checked/.exec(text)?.[1] ?? null;

/** A passwordless account recovered through the pages: the recovery session's add-a-key page. */
async function recoveryKeyPage(h: Harness, box: Mailbox): Promise<string> {
  const b = new FormBrowser(h);
  const email = uniqueEmail("recover-key");
  const created = await b.submit("/auth/register", "/auth/register", { email });
  expect(created.status, created.text.slice(0, 300)).toBe(303);
  const mark = box.mark();
  await b.submit("/auth/recover-account", "/auth/recover-account", { email });
  const link = (await box.next(email, "recover-account", mark)).link!;
  const url = new URL(link);
  const token = url.searchParams.get("token")!;
  const done = await b.submit(`${url.pathname}${url.search}`, "/auth/recover-account/complete", {
    token,
  });
  expect(done.headers.get("location")).toBe("/auth/recover-account/key");
  const page = await b.get("/auth/recover-account/key");
  expect(page.status).toBe(200);
  return page.text;
}

/** A policy that keeps passkeys on the device they were made on. */
class ThisDeviceUtil extends WebauthnUtil {
  override defaultAttachment(usage: Usage) {
    return usage === "first" ? ("platform" as const) : super.defaultAttachment(usage);
  }
}

describe("the recovery add-a-key page's default follows WebauthnUtil.defaultAttachment", () => {
  describe("by default", () => {
    const box = new Mailbox();
    const h = useHarness(sqlite!, { mailer: box, accounts: { allowPasswordless: true } });

    it("pre-selects a key not bound to one device for the passkey a recovering user adds", async () => {
      const text = await recoveryKeyPage(h, box);
      expect(text).toContain('name="usage" value="first"');
      expect(checkedAttachment(text)).toBe("cross-platform");
    });
  });

  describe("with a policy that keeps passkeys on this device", () => {
    const box = new Mailbox();
    const h = useHarness(sqlite!, {
      mailer: box,
      accounts: { allowPasswordless: true },
      webauthnUtil: ThisDeviceUtil,
    });

    it("pre-selects what the policy says", async () => {
      expect(checkedAttachment(await recoveryKeyPage(h, box))).toBe("platform");
    });
  });
});
