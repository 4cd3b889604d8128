// Nhật ký: the 200 most recent audit rows, and a check of the hash chain and of every payout.
import { call } from "../ipc.js";
import { h, message, say } from "../dom.js";
import { table } from "../table.js";
import { AUDIT, METHODS, ROLES } from "../strings.js";
import * as fmt from "../format.js";

function detailText(d) {
  if (!d || typeof d !== "object") return "";
  return Object.entries(d)
    .filter(([, v]) => v !== null && v !== undefined && typeof v !== "object")
    .map(([k, v]) => {
      let text = String(v);
      if (/^\d{4}-\d{2}-\d{2}$/.test(text)) text = fmt.date(text);
      else if (["amount", "total"].includes(k) && typeof v === "number") text = fmt.money(v);
      else if (k === "method") text = METHODS[v] ?? text;
      else if (k === "role") text = ROLES[v] ?? text;
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
        const entries = await call("recent_audit");
        rows.replaceChildren(
          table(
            "audit-table",
            [
              { label: AUDIT.colSeq, cell: (e) => e.seq, num: true },
              { label: AUDIT.colAt, cell: (e) => fmt.dateTime(e.at) },
              { label: AUDIT.colActor, cell: (e) => e.actor },
              { label: AUDIT.colAction, cell: (e) => AUDIT.actions[e.action] ?? e.action },
              { label: AUDIT.colEntity, cell: (e) => `${AUDIT.entities[e.entity] ?? e.entity}${e.entity_id ? ` ${e.entity_id.slice(0, 8)}` : ""}` },
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
