// Nhật ký: the check of the ledger (the same as `relief verify`: the file, its schema and triggers, the
// hash chain and its head, every claim, payout and override against the audit rows), then the 200 most
// recent audit rows.
import { call } from "../ipc.js";
import { h, message, put, say } from "../dom.js";
import { table } from "../table.js";
import { AUDIT, ID_KINDS, METHODS, ROLES } from "../strings.js";
import { loadPolicies, policy } from "../state.js";
import * as fmt from "../format.js";

// Ids are UUID v7: their first characters are only the time they were made, so two records made close
// together look alike there. The last 12 characters (the random part) tell them apart.
// Anything else (an operator's name) is shown whole.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const shortId = (id) => (UUID.test(String(id)) ? `…${String(id).slice(-12)}` : String(id ?? ""));

const ID_KEYS = new Set(["claim", "reversal", "id", "head_person_id"]);

function value(k, v) {
  const text = String(v);
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return fmt.date(text);
  if (["amount", "total", "rule_amount", "at_stake", "recovery_amount"].includes(k) && typeof v === "number") return fmt.money(v);
  // A duplicate pair's key is two record fingerprints: its start tells pairs apart.
  if (k === "pair") return `${text.slice(0, 12)}…`;
  // A chain head, SEQ:HASH: its sequence number and the start of its hash.
  if (k === "head" || k === "head_restored") return text.replace(/^(\d+:[0-9a-f]{12})[0-9a-f]+$/, "$1…");
  if (k === "method") return METHODS[v] ?? text;
  if (k === "role" || k === "before") return ROLES[v] ?? text;
  if (k === "why") return AUDIT.why[v] ?? text;
  if (k === "locked_until" || k === "recorded_at") return fmt.dateTime(text);
  if (k === "policy") return policy(v)?.title ?? text;
  if (k === "kind") return ID_KINDS[v] ?? AUDIT.groupKinds[v] ?? text;
  if (k === "beneficiary") {
    const m = /^([PHG]):(.+)$/.exec(text);
    return m ? `${AUDIT.subjects[m[1]]} ${shortId(m[2])}` : text;
  }
  if (ID_KEYS.has(k)) return shortId(text);
  return text;
}

export function detailText(d) {
  if (!d || typeof d !== "object") return "";
  return Object.entries(d)
    .filter(([k, v]) => v !== null && v !== undefined && (typeof v !== "object" || k === "ids"))
    .map(([k, v]) => {
      const text = k === "ids" && Array.isArray(v) ? v.map((doc) => `${ID_KINDS[doc.kind] ?? doc.kind} ${doc.number}`).join(", ") : value(k, v);
      return `${AUDIT.keys[k] ?? k}: ${text}`;
    })
    .join(" · ");
}

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
        const [entries] = await Promise.all([call("recent_audit"), loadPolicies()]);
        rows.replaceChildren(
          table(
            "audit-table",
            [
              { label: AUDIT.colSeq, cell: (e) => e.seq, num: true },
              { label: AUDIT.colAt, cell: (e) => fmt.dateTime(e.at) },
              { label: AUDIT.colActor, cell: (e) => e.actor },
              { label: AUDIT.colAction, cell: (e) => AUDIT.actions[e.action] ?? e.action },
              {
                label: AUDIT.colEntity,
                cell: (e) => [AUDIT.entities[e.entity] ?? e.entity, e.entity_id ? [" ", h("code", { class: "entity-id", title: UUID.test(e.entity_id) ? AUDIT.idTitle(e.entity_id) : null }, shortId(e.entity_id))] : null],
              },
              { label: AUDIT.colDetail, cell: (e) => detailText(e.detail) },
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
