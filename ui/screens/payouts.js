// Chi trả: pick an approved list; pay one claim (Enter on its row or a click asks first, naming who, how
// much, the day) or every claim still due (asked once, naming how many and the total); nothing is chosen for
// payment by the screen, and after a payout or a reversal the keyboard rests on what was done, not on a
// row. Thu hồi / đảo khoản chi (explained where offered) undoes a payout with a reason; print the core's
// payout sheet.
import { call } from "../ipc.js";
import { h, field, showErrors, say } from "../dom.js";
import { COMMON, METHODS, PAYOUTS } from "../strings.js";
import { can, guard, loadPolicies, roleNote } from "../state.js";
import { itemsPager } from "./lists.js";
import { openPrint, coreSheet } from "../print.js";
import { draft } from "../draft.js";
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
  // Where the keyboard lands after a payout or a reversal: the line saying what was done, never a row that
  // could be paid with one more Enter.
  const general = h("p", { id: "payout-message", class: "message", role: "status", "aria-live": "polite", tabindex: "-1" });
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
  let page = null;
  // The row the officer chose (to come back to when they cancel); never chosen by the screen itself.
  let chosen = null;

  async function loadLists(selected) {
    approved = (await call("lists")).filter((l) => l.decision_no);
    select.replaceChildren(h("option", { value: "" }, approved.length ? PAYOUTS.pickNone : PAYOUTS.noneApproved), ...approved.map((l) => h("option", { value: l.id, selected: l.id === selected }, PAYOUTS.listOption(l.name, l.decision_no))));
    list = approved.find((l) => l.id === select.value) ?? null;
  }

  function done(text, kind = "ok", code = "") {
    say(general, text, kind, code);
    general.focus();
  }

  async function pay(row) {
    reverseBox.replaceChildren();
    confirmBox.replaceChildren();
    chosen = null;
    try {
      const res = await call("pay", { list: list.id, claim: row?.claim_id ?? null, paidOn: paidOn.value, method: method.value });
      // A refusal of an earlier try (a bad "Ngày chi") does not outlive a payout that went through.
      showErrors(controls, []);
      await refresh();
      done(row ? PAYOUTS.paidOne(row.name, fmt.money(res.total)) : PAYOUTS.paidAll(fmt.number(res.count), fmt.money(res.total)));
    } catch (error) {
      const at = showErrors(controls, [error]);
      say(general, error.message, "error", error.code);
      (at ?? general).focus();
    }
  }

  function backToRow() {
    const row = chosen && itemsBox.querySelector(`tr[data-claim="${CSS.escape(chosen)}"]`);
    (row ?? select).focus();
  }

  // Paying is a deliberate act: the keyboard (Enter on a row) and the mouse (a click) alike only ask; the
  // money is handed out on the answer. A held-down Enter does not answer for the officer.
  function ask(text, onYes, back) {
    reverseBox.replaceChildren();
    const cancel = () => {
      confirmBox.replaceChildren();
      back();
    };
    const yes = h("button", { type: "button", id: "payout-confirm-yes", onclick: onYes }, PAYOUTS.confirmYes);
    yes.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && e.repeat) e.preventDefault();
    });
    const box = h(
      "div",
      { class: "card wide subform confirm", id: "payout-confirm", role: "alertdialog", "aria-labelledby": "payout-confirm-text" },
      h("p", { class: "strong", id: "payout-confirm-text" }, text),
      h("div", { class: "actions" }, yes, h("button", { type: "button", class: "secondary", id: "payout-confirm-no", onclick: cancel }, PAYOUTS.confirmNo)),
    );
    box.addEventListener("keydown", (e) => e.key === "Escape" && cancel());
    confirmBox.replaceChildren(box);
    yes.focus();
  }

  function askOne(row, tr) {
    chosen = row.claim_id;
    tr?.focus();
    if (row.status !== "approved") {
      confirmBox.replaceChildren();
      say(general, row.status === "paid" ? PAYOUTS.alreadyPaid(row.name) : PAYOUTS.notPayable(row.name), "warning");
      return;
    }
    ask(PAYOUTS.confirmOne(row.name, fmt.money(row.amount), paidOn.value, METHODS[method.value]), () => pay(row), backToRow);
  }

  function askAll() {
    if (!page?.due) {
      say(general, PAYOUTS.nothingDue, "warning");
      return;
    }
    ask(PAYOUTS.confirmAll(fmt.number(page.due), fmt.money(page.due_amount), paidOn.value, METHODS[method.value]), () => pay(null), () => document.getElementById("payout-all")?.focus());
  }

  function openReverse(row) {
    confirmBox.replaceChildren();
    chosen = row.claim_id;
    const reason = h("input", { type: "text", autocomplete: "off" });
    const date = h("input", { type: "text", autocomplete: "off", value: fmt.today() });
    const msg = h("p", { class: "message", role: "alert", id: "reverse-message" });
    const close = () => (reverseBox.replaceChildren(), backToRow());
    const kept = draft(`reverse-${row.claim_id}`, {
      collect: () => ({ reason: reason.value, reversedOn: date.value }),
      restore: (f) => {
        reason.value = f.reason ?? "";
        date.value = f.reversedOn ?? fmt.today();
      },
      onDiscard: () => {
        reason.value = "";
        date.value = fmt.today();
        reason.focus();
      },
    });
    const form = h(
      "form",
      { class: "card wide subform", id: "reverse-form", novalidate: true },
      h("h4", {}, PAYOUTS.reverseHeading(row.name, fmt.money(row.amount))),
      kept.marker,
      h("p", { class: "small", id: "reverse-explain" }, PAYOUTS.reverseExplain),
      h("div", { class: "form-grid" }, field("reverse", "reason", PAYOUTS.reason, reason, { wide: true }), field("reverse", "reversedOn", PAYOUTS.reverseDate, date)),
      msg,
      h("div", { class: "actions" }, h("button", { type: "submit", id: "reverse-submit" }, PAYOUTS.reverseSubmit), h("button", { type: "button", class: "secondary", onclick: close }, COMMON.cancel)),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        const payout = await call("live_payout_of", { claim: row.claim_id });
        await call("reverse", { payout, reason: reason.value, reversedOn: date.value });
        await kept.saved();
        reverseBox.replaceChildren();
        chosen = null;
        await refresh();
        // The claim is payable again: the keyboard goes to what was done, not back onto its row.
        done(PAYOUTS.reversed(row.name));
      } catch (error) {
        (showErrors(form, [{ ...error, field: error.field ?? (error.code === "invalid_input" ? "reason" : undefined) }], { general: msg }) ?? reason).focus();
      }
    });
    form.addEventListener("keydown", (e) => e.key === "Escape" && close());
    form.addEventListener("input", () => kept.changed());
    kept.restore();
    reverseBox.replaceChildren(form);
    reason.focus();
  }

  async function refresh() {
    await loadLists(list?.id);
    if (!list) {
      itemsBox.replaceChildren(approved.length ? "" : h("p", { class: "muted" }, PAYOUTS.noneApproved));
      tools.replaceChildren();
      summary.textContent = "";
      page = null;
      return;
    }
    const payAll = h("button", { type: "button", id: "payout-all", onclick: askAll }, PAYOUTS.payAll);
    guard("pay", "pay", payAll);
    tools.replaceChildren(
      payAll,
      h("button", { type: "button", class: "secondary", id: "payout-print", onclick: () => printSheet(list).catch((e) => say(general, e.message, "error")) }, PAYOUTS.printSheet),
    );
    pager = itemsPager(list, {
      id: "payout-items",
      onOpen: (row, tr) => askOne(row, tr),
      onClick: (row, tr) => askOne(row, tr),
      after: (p, at) => {
        page = p;
        offset = at;
        summary.textContent = PAYOUTS.summary(fmt.number(p.paid), fmt.number(p.total), fmt.money(p.amount), fmt.number(p.due), fmt.money(p.due_amount));
        // A reversal button on each paid row, for those who may reverse.
        const rows = itemsBox.querySelectorAll("tbody tr");
        p.items.forEach((item, i) => {
          const cell = h("td", {});
          if (item.status === "paid" && can("reverse")) {
            cell.append(
              h(
                "button",
                {
                  type: "button",
                  class: "secondary small",
                  "data-reverse": item.claim_id,
                  title: PAYOUTS.reverseExplain,
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
      },
    });
    itemsBox.replaceChildren(pager.el);
    await pager.go(offset);
  }

  select.addEventListener("change", () => {
    list = approved.find((l) => l.id === select.value) ?? null;
    offset = 0;
    chosen = null;
    say(general, "", "");
    confirmBox.replaceChildren();
    reverseBox.replaceChildren();
    refresh();
  });
  // A question asked about one day or method is not answered for another.
  for (const el of [paidOn, method]) el.addEventListener("input", () => confirmBox.replaceChildren());

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
      // Nothing is chosen for payment: the keyboard starts on the list to pay from.
      select.focus();
    },
  };
}
