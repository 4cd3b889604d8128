// Nhật ký: the 200 most recent audit rows, and a check of the hash chain and of every payout.
import { call } from "../ipc.js";
import { h, message, say } from "../dom.js";
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
  if (k === "method") return METHODS[v] ?? text;
  if (k === "role" || k === "before") return ROLES[v] ?? text;
  if (k === "why") return AUDIT.why[v] ?? text;
  if (k === "locked_until") return fmt.dateTime(text);
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

export function audit() {
  const result = message("audit-result");
  const button = h("button", { type: "button", id: "audit-verify" }, AUDIT.verify);
  button.addEventListener("click", async () => {
    button.disabled = true;
    say(result, AUDIT.verifying, "");
    try {
      const r = await call("verify");
      say(result, r.mismatched_payouts ? `${AUDIT.verified(r)} ${AUDIT.mismatch(r.mismatched_payouts)}` : AUDIT.verified(r), r.mismatched_payouts ? "error" : "ok");
    } catch (error) {
      say(result, error.message, "error", error.code);
    } finally {
      button.disabled = false;
    }
  });
  const rows = h("div", { id: "audit-rows" });
  return {
    el: h("div", {}, h("section", { class: "card wide" }, h("p", { class: "muted" }, AUDIT.lead), button, result), rows),
    ready: async () => {
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
