// Nhật ký: the check of the ledger (the same as `relief verify`: the file, its schema and triggers, the
// hash chain and its head, every claim, payout and override against the audit rows), then the 200 most
// recent audit rows, each as the sentence the core writes for it (never the software's own codes).
import { call } from "../ipc.js";
import { h, message, put, say } from "../dom.js";
import { table } from "../table.js";
import { AUDIT } from "../strings.js";
import * as fmt from "../format.js";

// Copies `text`, or failing that selects `el` for Ctrl+C. Resolves true when copied.
async function copy(text, el) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const range = document.createRange();
    range.selectNodeContents(el);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    try {
      return document.execCommand("copy");
    } catch {
      return false;
    }
  }
}

// The check of the ledger: its head (copyable), the rows and payouts checked, and each problem found.
function ledgerCheck() {
  const result = message("audit-result");
  const button = h("button", { type: "button", id: "audit-verify" }, AUDIT.verify);
  const facts = h("div", { id: "audit-facts" });
  const copied = message("audit-copy-message");
  const card = h("section", { class: "card wide", id: "audit-check" }, h("h3", {}, AUDIT.checkHeading), h("p", { class: "muted small" }, AUDIT.checkLead), result, facts, copied, button);

  function draw(r) {
    const head = `${r.head.seq}:${r.head.hash}`;
    const code = h("code", { class: "head", id: "audit-head", title: AUDIT.headTitle }, head);
    const copyButton = h("button", { type: "button", class: "secondary small", id: "audit-head-copy" }, AUDIT.copy);
    copyButton.addEventListener("click", async () => {
      const ok = await copy(head, code);
      say(copied, ok ? AUDIT.copied : AUDIT.copyFailed, ok ? "ok" : "warning");
    });
    const rows = [
      [AUDIT.head, h("div", { class: "head-row" }, code, copyButton)],
      [AUDIT.rows, fmt.number(r.audit_rows)],
      [AUDIT.payouts, AUDIT.payoutsLine(fmt.number(r.payouts), fmt.number(r.mismatched_payouts))],
      [AUDIT.checkedAt, fmt.dateTime(new Date().toISOString())],
    ];
    put(
      facts,
      h("dl", { class: "pairs", id: "audit-verify-facts" }, rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
      r.problems.length ? [h("h4", {}, AUDIT.problems), h("ul", { class: "problems", id: "audit-problems" }, r.problems.map((p) => h("li", {}, p)))] : null,
      h("p", { class: "muted small" }, AUDIT.headHint),
    );
  }

  async function run() {
    button.disabled = true;
    say(result, AUDIT.verifying, "");
    say(copied, "", "");
    try {
      const r = await call("verify");
      const sound = r.problems.length === 0;
      say(result, sound ? AUDIT.verified(r) : AUDIT.problemsFound(r.problems.length), sound ? "ok" : "error", sound ? "" : "problems");
      card.dataset.state = sound ? "ok" : "problems";
      draw(r);
    } catch (error) {
      say(result, error.message, "error", error.code);
      card.dataset.state = "";
    } finally {
      button.disabled = false;
    }
  }
  button.addEventListener("click", run);
  return { el: card, run };
}

export function audit() {
  const check = ledgerCheck();
  const rows = h("div", { id: "audit-rows" });
  return {
    el: h("div", {}, check.el, h("p", { class: "muted", id: "audit-lead" }, AUDIT.lead), rows),
    ready: async () => {
      check.run();
      try {
        const entries = await call("recent_audit");
        rows.replaceChildren(
          table(
            "audit-table",
            [
              { label: AUDIT.colSeq, cell: (e) => e.seq, num: true },
              { label: AUDIT.colAt, cell: (e) => fmt.dateTime(e.at) },
              { label: AUDIT.colActor, cell: (e) => e.actor },
              { label: AUDIT.colText, cell: (e) => e.text },
            ],
            entries,
          ),
        );
      } catch (error) {
        rows.replaceChildren(h("p", { class: "message error" }, error.message));
      }
    },
  };
}
