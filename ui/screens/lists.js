// Danh sách & phê duyệt: build a list from waiting claims, see the lists, open one (its lines a page at a
// time), mark it publicly posted, print the posting list, and approve it under a numbered decision.
import { call } from "../ipc.js";
import { h, field, showErrors, message, say } from "../dom.js";
import { table, pager } from "../table.js";
import { COMMON, LISTS, STATES } from "../strings.js";
import { can, guard, loadPolicies, policy, roleNote } from "../state.js";
import { openPrint, coreSheet } from "../print.js";
import { draft, fieldsOf, fillForm } from "../draft.js";
import * as fmt from "../format.js";

const PAGE = 100;

export function itemColumns() {
  return [
    { label: LISTS.colStt, cell: (_, i) => fmt.number(i + 1), num: true },
    { label: LISTS.colPerson, cell: (r) => r.name },
    { label: LISTS.colId, cell: (r) => r.id_number ?? "" },
    { label: LISTS.colGroup, cell: (r) => r.residential_group ?? "" },
    { label: LISTS.colPolicy, cell: (r) => policy(r.policy)?.title ?? r.policy },
    { label: LISTS.colAmount, cell: amountCell, num: true },
    { label: LISTS.colState, cell: (r) => STATES[r.status] ?? r.status },
  ];
}

// An amount, and beside it a mark when part of it rests on what no legal text has confirmed (issue 14): the
// parts are its tooltip, read out with the amount (sr-only), and written out under the table (pageNote), so
// neither a mouse nor a screen reader is needed to read them.
function amountCell(r) {
  if (!r.unconfirmed?.length) return fmt.money(r.amount);
  return [
    fmt.money(r.amount),
    " ",
    h("span", { class: "badge conf conf-unconfirmed", title: r.unconfirmed.join("\n") }, LISTS.unconfirmedMark),
    h("span", { class: "sr-only" }, `: ${r.unconfirmed.join("; ")}`),
  ];
}

// Under a page of lines: each unconfirmed part (per policy) once, with the numbers (STT) of the lines on
// the page that carry it. Nothing when no line of the page has one.
function pageNote(id, items, offset) {
  const parts = new Map();
  items.forEach((r, i) => {
    for (const part of r.unconfirmed ?? []) {
      const key = `${r.policy}\u0000${part}`;
      if (!parts.has(key)) parts.set(key, { policy: r.policy, part, rows: [] });
      parts.get(key).rows.push(fmt.number(offset + i + 1));
    }
  });
  if (!parts.size) return null;
  return h(
    "div",
    { class: "unconfirmed-note page", id: `${id}-unconfirmed` },
    h("p", { class: "strong" }, LISTS.pageUnconfirmed),
    h(
      "ul",
      {},
      [...parts.values()].map((p) => h("li", {}, h("strong", {}, p.part), h("span", { class: "muted" }, ` (${policy(p.policy)?.title ?? p.policy})`), LISTS.pageUnconfirmedRows(p.rows.join(", ")))),
    ),
  );
}

// The lines of a list, a page at a time. `onOpen` makes rows selectable (the payouts screen).
export function itemsPager(list, { onOpen, onClick, id = "list-items", after } = {}) {
  const box = h("div", { id: `${id}-box` });
  async function go(offset) {
    try {
      const page = await call("list_page", { list: list.id, offset });
      box.replaceChildren(
        ...[
          table(id, itemColumns(), page.items, {
            onOpen,
            onClick,
            start: offset,
            rowAttrs: (r) => ({ "data-claim": r.claim_id, "data-state": r.status, "data-unconfirmed": r.unconfirmed?.length ? "true" : null }),
          }),
          pageNote(id, page.items, offset),
          pager(`${id}-pager`, { offset, count: page.items.length, total: page.total, size: PAGE }, go, fmt.number),
        ].filter(Boolean),
      );
      after?.(page, offset);
    } catch (error) {
      box.replaceChildren(h("p", { class: "message error" }, error.message));
    }
  }
  return { el: box, go };
}

// The posting list as the core prints it (ID numbers masked for the public board, unconfirmed amounts
// marked (*) with their footnote), in the app's print view.
async function printPosting(list) {
  openPrint("posting-list", coreSheet(await call("sheet_html", { kind: "posting-list", list: list.id })));
}

// Above the approve form: how many lines of the whole list rest in part on what no legal text has
// confirmed, and each such part (per policy) with its count, so the approver reads them before signing.
// Empty when every amount is confirmed.
async function unconfirmedSummary(list, box, approving) {
  try {
    const u = await call("list_unconfirmed", { list: list.id });
    if (!u.lines) return box.replaceChildren();
    box.replaceChildren(
      h(
        "section",
        { class: "unconfirmed-note", id: "list-unconfirmed", "aria-labelledby": "list-unconfirmed-heading" },
        h("h4", { id: "list-unconfirmed-heading" }, "(*) ", LISTS.unconfirmedHeading(fmt.number(u.lines), fmt.money(u.amount))),
        h("p", { class: "small" }, LISTS.unconfirmedLead),
        approving ? h("p", { class: "small strong" }, LISTS.unconfirmedBeforeApproval) : null,
        h(
          "ul",
          { id: "list-unconfirmed-parts" },
          u.parts.map((p) => h("li", { "data-policy": p.policy }, h("strong", {}, p.part), h("span", { class: "muted" }, ` (${policy(p.policy)?.title ?? p.policy})`), LISTS.unconfirmedPart(fmt.number(p.lines)))),
        ),
      ),
    );
  } catch (error) {
    box.replaceChildren(h("p", { class: "message error" }, error.message));
  }
}

function listDetail(list, reload, go) {
  const general = message("list-message");
  const items = itemsPager(list);
  const unconfirmed = h("div", { id: "list-unconfirmed-box" });
  const actions = h("div", { class: "actions" });
  let postForm = null;
  if (!list.posted_at && !list.decision_no) {
    // The day the list went up on the board (today unless the paper work is entered later).
    const postedOn = h("input", { type: "text", autocomplete: "off", value: fmt.today(), placeholder: "dd/mm/yyyy" });
    const postButton = h("button", { type: "submit", id: "list-post" }, LISTS.post);
    const postMsg = h("p", { class: "message", id: "post-message", role: "alert" });
    postForm = h(
      "form",
      { id: "post-form", class: "subform inline", novalidate: true },
      h("div", { class: "form-grid" }, field("post", "postedOn", LISTS.postedOn, postedOn)),
      postMsg,
      postButton,
    );
    postForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await call("post_list", { list: list.id, postedOn: postedOn.value });
        await reload(list.id);
        // Posted: approving is the next step.
        document.getElementById("approve-decisionNo")?.focus();
      } catch (error) {
        (showErrors(postForm, [error], { general: postMsg }) ?? postedOn).focus();
      }
    });
    guard("record", "post", postButton);
    if (!can("record")) postedOn.disabled = true;
  }
  actions.append(h("button", { type: "button", class: "secondary", id: "list-print", onclick: () => printPosting(list).catch((e) => say(general, e.message, "error")) }, LISTS.printPosting));

  let approve = null;
  if (list.decision_no) {
    approve = h(
      "div",
      { class: "subform" },
      h("p", { class: "message ok", id: "list-approved" }, LISTS.approved(list.decision_no, list.approved_by)),
      h("button", { type: "button", id: "list-go-pay", onclick: () => go("payouts", { list: list.id }) }, LISTS.goPay),
    );
  } else {
    // The core refuses to approve a list that was not publicly posted first; the form says so and waits.
    const posted = Boolean(list.posted_at);
    const allowed = can("approve");
    const no = h("input", { type: "text", autocomplete: "off", placeholder: LISTS.decisionNoPlaceholder });
    const date = h("input", { type: "text", autocomplete: "off", value: fmt.today(), placeholder: "dd/mm/yyyy" });
    const approveMsg = h("p", { class: "message", id: "approve-message", role: "alert" });
    approve = h(
      "form",
      { id: "approve-form", class: "subform", novalidate: true },
      h("h4", {}, LISTS.approveHeading),
      posted ? null : h("p", { class: "warning-text", id: "approve-needs-post" }, LISTS.approveNeedsPost),
      roleNote("approve", "approve-role-note"),
      h("p", { class: "muted small" }, LISTS.approveHint),
      h("fieldset", { class: "plain", disabled: !posted || !allowed }, h("div", { class: "form-grid" }, field("approve", "decisionNo", LISTS.decisionNo, no), field("approve", "decisionDate", LISTS.decisionDate, date))),
      approveMsg,
      // Whoever reaches the button from the keyboard hears the summary of what is not confirmed.
      h("button", { type: "submit", id: "approve-submit", disabled: !posted || !allowed, "aria-describedby": "list-unconfirmed-heading" }, LISTS.approve),
    );
    // The decision's number and day are kept as a draft until it is recorded.
    const kept = draft(`approve-${list.id}`, {
      collect: () => fieldsOf(approve),
      restore: (f) => fillForm(approve, f),
      onDiscard: () => {
        no.value = "";
        date.value = fmt.today();
        showErrors(approve, [], { general: approveMsg });
      },
    });
    approve.insertBefore(kept.marker, approve.querySelector("fieldset"));
    kept.restore();
    // A refusal is about what was typed: changing it clears the refusal (issue 13: an approval error stayed
    // after the operator changed what they typed).
    approve.addEventListener("input", () => {
      showErrors(approve, [], { general: approveMsg });
      kept.changed();
    });
    approve.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!no.value.trim()) return showErrors(approve, [{ field: "decisionNo", message: COMMON.required }], { general: approveMsg })?.focus();
      try {
        await call("approve_list", { list: list.id, decisionNo: no.value, decisionDate: date.value });
        await kept.saved();
        await reload(list.id);
        // Approved: paying it is the next step.
        document.getElementById("list-go-pay")?.focus();
      } catch (error) {
        (showErrors(approve, [error], { general: approveMsg }) ?? no).focus();
      }
    });
  }
  const el = h(
    "section",
    { class: "card wide", id: "list-detail", "data-id": list.id },
    h("h3", { id: "list-name" }, list.name),
    h(
      "dl",
      { class: "pairs" },
      h("dt", {}, LISTS.colCreated),
      h("dd", {}, `${list.created_by}, ${fmt.dateTime(list.created_at)}`),
      h("dt", {}, LISTS.colClaims),
      h("dd", { id: "list-claims" }, fmt.number(list.claims)),
      h("dt", {}, LISTS.colTotal),
      h("dd", { id: "list-total" }, fmt.money(list.total)),
      h("dt", {}, LISTS.colPosted),
      h("dd", { id: "list-posted" }, list.posted_at ? LISTS.postedLine(list.posted_on ? fmt.date(list.posted_on) : null, fmt.dateTime(list.posted_at)) : LISTS.notPosted),
      h("dt", {}, LISTS.colDecision),
      h("dd", { id: "list-decision" }, list.decision_no ? LISTS.decision(list.decision_no, fmt.date(list.decision_date)) : LISTS.notApproved),
    ),
    postForm,
    actions,
    general,
    unconfirmed,
    approve,
    h("h4", {}, LISTS.items),
    items.el,
  );
  items.go(0);
  unconfirmedSummary(list, unconfirmed, !list.decision_no);
  return el;
}

export function lists({ go, params }) {
  const general = message("create-list-message");
  const name = h("input", { type: "text", autocomplete: "off" });
  const policyBox = h("div", { id: "create-list-policies", class: "checks" });
  const create = h(
    "form",
    { class: "card wide", id: "create-list-form", novalidate: true },
    h("h3", {}, LISTS.createHeading),
    h("div", { class: "form-grid" }, field("list", "name", LISTS.name, name, { wide: true })),
    h("p", { class: "muted" }, LISTS.policies),
    policyBox,
    h("p", { class: "muted small", id: "create-list-hint" }, LISTS.policiesHint),
    general,
    roleNote("record", "create-list-role-note", "post"),
    h("button", { type: "submit", id: "create-list-submit", disabled: !can("record") }, LISTS.create),
  );
  const listsBox = h("section", { class: "card wide", id: "lists" }, h("h3", {}, LISTS.listsHeading));
  const detailBox = h("div", { id: "list-detail-box" });

  async function loadWaiting(count) {
    const rows = await call("unlisted_claims");
    name.value ||= LISTS.nameDefault(count + 1, fmt.today());
    policyBox.replaceChildren(
      ...(rows.length
        ? rows.map((r) =>
            h("label", { class: "check" }, h("input", { type: "checkbox", value: r.policy, "data-policy": r.policy }), " ", `${policy(r.policy)?.title ?? r.policy} – `, h("span", { class: "muted" }, LISTS.waiting(fmt.number(r.count), fmt.money(r.total)))),
          )
        : [h("p", { class: "muted", id: "create-list-none" }, LISTS.noneWaiting)]),
    );
  }

  async function open(id) {
    const all = await call("lists");
    renderLists(all, id);
    const list = all.find((l) => l.id === id);
    detailBox.replaceChildren(list ? listDetail(list, reload, go) : "");
  }

  function renderLists(all, selected) {
    listsBox.replaceChildren(
      h("h3", {}, LISTS.listsHeading),
      all.length
        ? table(
            "lists-table",
            [
              { label: LISTS.colName, cell: (l) => h("strong", {}, l.name) },
              { label: LISTS.colCreated, cell: (l) => l.created_by },
              { label: LISTS.colClaims, cell: (l) => fmt.number(l.claims), num: true },
              { label: LISTS.colTotal, cell: (l) => fmt.money(l.total), num: true },
              { label: LISTS.colPosted, cell: (l) => (l.posted_on ? fmt.date(l.posted_on) : l.posted_at ? fmt.vnDate(l.posted_at) : LISTS.notPosted) },
              { label: LISTS.colDecision, cell: (l) => (l.decision_no ? LISTS.decision(l.decision_no, fmt.date(l.decision_date)) : LISTS.notApproved) },
              { label: LISTS.colPaid, cell: (l) => `${fmt.number(l.paid)}/${fmt.number(l.claims)}`, num: true },
            ],
            all.slice().reverse(),
            { onOpen: (l) => open(l.id), rowAttrs: (l) => ({ "data-id": l.id, "aria-selected": l.id === selected ? "true" : null }) },
          )
        : h("p", { class: "muted" }, COMMON.empty),
    );
    return all;
  }

  async function reload(selected) {
    const all = await call("lists");
    renderLists(all, selected);
    await loadWaiting(all.length);
    if (selected) await open(selected);
  }

  const createDraft = draft("list-create", {
    collect: () => ({ name: name.value }),
    restore: (f) => (name.value = f.name ?? ""),
    onDiscard: () => {
      name.value = "";
      loadWaiting(0).catch(() => {});
    },
  });
  create.insertBefore(createDraft.marker, create.querySelector(".form-grid"));
  createDraft.restore();
  name.addEventListener("input", () => {
    say(general, "", "");
    createDraft.changed();
  });
  create.addEventListener("submit", async (event) => {
    event.preventDefault();
    const policies = [...policyBox.querySelectorAll("input:checked")].map((c) => c.value);
    try {
      const list = await call("create_list", { name: name.value, policies });
      await createDraft.saved();
      say(general, LISTS.created(list.name, fmt.number(list.claims)), "ok");
      name.value = "";
      await reload(list.id);
    } catch (error) {
      (showErrors(create, [error], { general }) ?? name).focus();
    }
  });

  return {
    el: h("div", {}, create, listsBox, detailBox),
    ready: async () => {
      await loadPolicies();
      await reload(params.list);
    },
    onNew: () => name.focus(),
  };
}
