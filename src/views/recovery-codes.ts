import { html, type SafeHtml } from "./html.js";
import { alerts, type PageBase } from "./layout.js";

export interface RecoveryCodesProps extends PageBase {
  /** The new codes: shown on this page only, never again. */
  codes: string[];
}

/** New recovery codes, shown once, with copy (browser script) and download (plain link). */
export function recoveryCodesPage(p: RecoveryCodesProps): SafeHtml | string {
  const { t } = p;
  const email = p.user?.email ?? "";
  const text = `${t("recovery.fileHeader", { site: p.siteName, email })}\n\n${p.codes.join("\n")}\n`;
  const download = `data:text/plain;charset=utf-8,${encodeURIComponent(text)}`;
  const filename = `${p.siteName.replace(/[^\p{L}\p{N}]+/gu, "-").toLowerCase()}-recovery-codes.txt`;
  const body = html`<div class="kw-card">
<h1>${t("recovery.title")}</h1>
${alerts(p)}
<p>${t("recovery.intro")}</p>
<ul class="kw-codes" data-kw-codes>${p.codes.map((code) => html`<li>${code}</li>`)}</ul>
<div class="kw-row">
<button type="button" class="kw-btn" data-kw-action="copy-codes" data-kw-copied="${t("recovery.copied")}" data-kw-needs="clipboard" hidden>${t("recovery.copy")}</button>
<a class="kw-btn" href="${download}" download="${filename}">${t("recovery.download")}</a>
</div>
<a class="kw-btn kw-btn--primary kw-btn--block" href="${p.prefix}/account">${t("recovery.done")}</a>
</div>`;
  return p.layout({ page: p, title: t("recovery.title"), body });
}
