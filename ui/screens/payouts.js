// Chi trả: pick an approved list; pay one claim from the keyboard (select a row, Enter) or the whole
// list; reverse a payout with a reason; print the payout sheet (the core's, as Danh sách prints the posting list).
import { call } from "../ipc.js";
import { h, field, showErrors, message, say } from "../dom.js";
import { COMMON, METHODS, PAYOUTS } from "../strings.js";
import { can, guard, loadPolicies, roleNote } from "../state.js";
import { itemsPager } from "./lists.js";
import { openPrint, coreSheet } from "../print.js";
import * as fmt from "../format.js";

// The payout sheet recipients sign, as the core prints it (full ID numbers, a signature column, unconfirmed
// amounts marked (*) with their footnote, the total in words, the ledger's chain head), in the print view.
async function printSheet(list) {
  openPrint("payout-sheet", coreSheet(await call("sheet_html", { kind: "payout-sheet", list: list.id })));
}

export function payouts({ params }) {
  const select = h("select", { id: "payout-list" }, h("option", { value: "" }, PAYOUTS.pickNone));
  const paidOn = h("input", { type: "text", autocomplete: "off", value: fmt.today(), placeholder: "dd/mm/yyyy" });
  const method = h("select", {}, Object.entries(METHODS).map(([v, l]) => h("option", { value: v }, l)));
  const general = message("payout-message");
  const summary = h("p", { class: "muted", id: "payout-summary" });
  const itemsBox = h("div", { id: "payout-items-box" });
  const reverseBox = h("div", { id: "payout-reverse-box" });
  const confirmBox = h("div", { id: "payout-confirm-box" });
  const tools = h("div", { class: "actions" });
  const controls = h(
    "form",
    { class: "card wide", id: "payout-controls", novalidate: true, onsubmit: (e) => e.preventDefault() },
    h("div", { class: "form-grid" }, field("payout", "list", PAYOUTS.pickList, select, { wide: true }), field("payout", "paidOn", PAYOUTS.paidOn, paidOn), field("payout", "method", PAYOUTS.method, method)),
    h("p", { class: "muted small" }, PAYOUTS.hint),
    roleNote("pay", "payout-role-note"),
    tools,
  );
  let approved = [];
  let list = null;
  let pager = null;
  let offset = 0;
  let focusClaim = null;

  async function loadLists(selected) {
    approved = (await call("lists")).filter((l) => l.decision_no);
    select.replaceChildren(h("option", { value: "" }, approved.length ? PAYOUTS.pickNone : PAYOUTS.noneApproved), ...approved.map((l) => h("option", { value: l.id, selected: l.id === selected }, PAYOUTS.listOption(l.name, l.decision_no))));
    list = approved.find((l) => l.id === select.value) ?? null;
  }

  async function pay(row) {
    reverseBox.replaceChildren();
    confirmBox.replaceChildren();
    focusClaim = row?.claim_id ?? null;
    try {
      const res = await call("pay", { list: list.id, claim: row?.claim_id ?? null, paidOn: paidOn.value, method: method.value });
      // A refusal of an earlier try (a bad "Ngày chi") does not outlive a payout that went through.
      showErrors(controls, []);
      say(general, row ? PAYOUTS.paidOne(row.name, fmt.money(res.total)) : PAYOUTS.paidAll(fmt.number(res.count), fmt.money(res.total)), "ok");
      await refresh();
    } catch (error) {
      showErrors(controls, [error]);
      say(general, error.message, "error", error.code);
      refocus();
    }
  }

  function refocus() {
    const row = focusClaim && itemsBox.querySelector(`tr[data-claim="${CSS.escape(focusClaim)}"]`);
    (row ?? itemsBox.querySelector("tbody tr"))?.focus();
  }

  // A mouse click only selects the row and asks; paying takes a second, deliberate step (or Enter on the row).
  function confirmPay(row, tr) {
    tr.focus();
    focusClaim = row.claim_id;
    const cancel = () => {
      confirmBox.replaceChildren();
      refocus();
    };
    const yes = h("button", { type: "button", id: "payout-confirm-yes", onclick: () => pay(row) }, PAYOUTS.confirmYes);
    const box = h(
      "div",
      { class: "card wide subform", id: "payout-confirm", role: "alertdialog", "aria-labelledby": "payout-confirm-text" },
      h("p", { class: "strong", id: "payout-confirm-text" }, PAYOUTS.confirmOne(row.name, fmt.money(row.amount), paidOn.value)),
      h("div", { class: "actions" }, yes, h("button", { type: "button", class: "secondary", id: "payout-confirm-no", onclick: cancel }, COMMON.cancel)),
    );
    box.addEventListener("keydown", (e) => e.key === "Escape" && cancel());
    confirmBox.replaceChildren(box);
    yes.focus();
  }

  function openReverse(row) {
    confirmBox.replaceChildren();
    const reason = h("input", { type: "text", autocomplete: "off" });
    const date = h("input", { type: "text", autocomplete: "off", value: fmt.today() });
    const msg = h("p", { class: "message", role: "alert", id: "reverse-message" });
    const form = h(
      "form",
      { class: "card wide subform", id: "reverse-form", novalidate: true },
      h("h4", {}, PAYOUTS.reverseHeading(row.name)),
      h("div", { class: "form-grid" }, field("reverse", "reason", PAYOUTS.reason, reason, { wide: true }), field("reverse", "reversedOn", PAYOUTS.reverseDate, date)),
      msg,
      h("div", { class: "actions" }, h("button", { type: "submit", id: "reverse-submit" }, PAYOUTS.reverseSubmit), h("button", { type: "button", class: "secondary", onclick: () => (reverseBox.replaceChildren(), refocus()) }, COMMON.cancel)),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        const payout = await call("live_payout_of", { claim: row.claim_id });
        await call("reverse", { payout, reason: reason.value, reversedOn: date.value });
        reverseBox.replaceChildren();
        say(general, PAYOUTS.reversed(row.name), "ok");
        focusClaim = row.claim_id;
        await refresh();
      } catch (error) {
        (showErrors(form, [{ ...error, field: error.field ?? (error.code === "invalid_input" ? "reason" : undefined) }], { general: msg }) ?? reason).focus();
      }
    });
    form.addEventListener("keydown", (e) => e.key === "Escape" && (reverseBox.replaceChildren(), refocus()));
    reverseBox.replaceChildren(form);
    reason.focus();
  }

  async function refresh() {
    await loadLists(list?.id);
    if (!list) {
      itemsBox.replaceChildren(approved.length ? "" : h("p", { class: "muted" }, PAYOUTS.noneApproved));
      tools.replaceChildren();
      summary.textContent = "";
      return;
    }
    const payAll = h("button", { type: "button", id: "payout-all", onclick: () => pay(null) }, PAYOUTS.payAll);
    guard("pay", "pay", payAll);
    tools.replaceChildren(
      payAll,
      h("button", { type: "button", class: "secondary", id: "payout-print", onclick: () => printSheet(list).catch((e) => say(general, e.message, "error")) }, PAYOUTS.printSheet),
    );
    pager = itemsPager(list, {
      id: "payout-items",
      onOpen: (row) => pay(row),
      onClick: (row, tr) => confirmPay(row, tr),
      after: (page, at) => {
        offset = at;
        summary.textContent = PAYOUTS.summary(fmt.number(page.paid), fmt.number(page.total), fmt.money(page.amount));
        // A reverse button on each paid row.
        const rows = itemsBox.querySelectorAll("tbody tr");
        page.items.forEach((item, i) => {
          const cell = h("td", {});
          // Reversing is an approver's (or admin's): no button for anyone else.
          if (item.status === "paid" && can("reverse")) {
            cell.append(
              h(
                "button",
                {
                  type: "button",
                  class: "secondary small",
                  "data-reverse": item.claim_id,
                  onclick: (e) => {
                    e.stopPropagation();
                    openReverse(item);
                  },
                  onkeydown: (e) => e.stopPropagation(),
                },
                PAYOUTS.reverse,
              ),
            );
          }
          rows[i]?.append(cell);
        });
        itemsBox.querySelector("thead tr")?.append(h("th", {}));
        refocus();
      },
    });
    itemsBox.replaceChildren(pager.el);
    await pager.go(offset);
  }

  select.addEventListener("change", () => {
    list = approved.find((l) => l.id === select.value) ?? null;
    offset = 0;
    focusClaim = null;
    say(general, "", "");
    confirmBox.replaceChildren();
    refresh();
  });

  return {
    el: h("div", {}, controls, general, summary, confirmBox, reverseBox, itemsBox),
    ready: async () => {
      await loadPolicies();
      await loadLists(params.list);
      if (!params.list && approved.length === 1) {
        select.value = approved[0].id;
        list = approved[0];
      }
      await refresh();
      if (!list) select.focus();
    },
  };
}
