// Sổ hồ sơ (the claims register, a view of Hồ sơ đề nghị): every claim of the ledger, filtered by policy,
// state, residential group, list and person (a name without tone marks, or the start of an ID number), a
// page at a time. A claim opened shows what it was recorded with, its list and how it was closed; one on no
// list may be corrected (the claim form, priced again) or withdrawn with a reason, both in the audit log.
import { call } from "../ipc.js";
import { h, field, showErrors, message, say, put, debounce } from "../dom.js";
import { table, pager } from "../table.js";
import { CLAIMS, COMMON, REGISTER, STATES } from "../strings.js";
import { can, loadPolicies, policy, state } from "../state.js";
import * as fmt from "../format.js";

const PAGE = 100;

// The filter last used, so the register comes back as it was left.
let lastFilter = {};

const WITHDRAWERS = ["officer", "approver", "admin"];

export function register({ go, params }) {
  const general = message("register-message");
  const count = h("p", { class: "muted", id: "register-count", role: "status" });
  const results = h("div", { id: "register-results" });
  const detailBox = h("div", { id: "register-detail-box" });
  const boxes = {
    policy: h("select", {}),
    state: h("select", {}),
    residential_group: h("select", {}),
    list: h("select", {}),
    person: h("input", { type: "search", autocomplete: "off", spellcheck: "false", placeholder: REGISTER.personPlaceholder, value: lastFilter.person ?? "" }),
  };
  const filters = h(
    "form",
    { class: "card wide filters", id: "register-filters", novalidate: true, onsubmit: (e) => e.preventDefault() },
    h("h3", {}, REGISTER.heading),
    h("p", { class: "muted small" }, REGISTER.lead),
    h(
      "div",
      { class: "form-grid filters-grid" },
      field("register", "person", REGISTER.person, boxes.person, { wide: true }),
      field("register", "policy", REGISTER.policy, boxes.policy),
      field("register", "state", REGISTER.state, boxes.state),
      field("register", "group", REGISTER.group, boxes.residential_group),
      field("register", "list", REGISTER.list, boxes.list),
    ),
  );
  const filter = () => Object.fromEntries(Object.entries(boxes).map(([k, el]) => [k, el.value.trim() || null]));

  let seq = 0;
  async function page(offset) {
    const mine = ++seq;
    lastFilter = Object.fromEntries(Object.entries(filter()).filter(([, v]) => v));
    try {
      const data = await call("claims_register", { filter: filter(), offset });
      if (mine !== seq) return;
      count.textContent = data.total ? REGISTER.count(fmt.number(data.total), fmt.money(data.amount)) : REGISTER.none;
      results.replaceChildren(
        data.rows.length
          ? table(
              "register-table",
              [
                { label: COMMON.stt, cell: (_, i) => fmt.number(i + 1), num: true },
                { label: REGISTER.colName, cell: (r) => h("strong", {}, r.name) },
                { label: REGISTER.colId, cell: (r) => r.id_number ?? "" },
                { label: REGISTER.colGroup, cell: (r) => r.residential_group ?? "" },
                { label: REGISTER.colPolicy, cell: (r) => policy(r.policy)?.title ?? r.policy },
                { label: REGISTER.colAmount, cell: (r) => fmt.money(r.amount), num: true },
                { label: REGISTER.colState, cell: (r) => r.state_label },
                { label: REGISTER.colList, cell: (r) => r.list_name ?? REGISTER.noList },
                { label: REGISTER.colRecorded, cell: (r) => `${r.recorded_by}, ${fmt.dateTime(r.recorded_at)}` },
              ],
              data.rows,
              { onOpen: (r) => open(r.id), start: offset, rowAttrs: (r) => ({ "data-claim": r.id, "data-state": r.state }) },
            )
          : "",
        pager("register-pager", { offset, count: data.rows.length, total: data.total, size: PAGE }, page, fmt.number),
      );
    } catch (error) {
      if (mine === seq) results.replaceChildren(h("p", { class: "message error", "data-code": error.code }, error.message));
    }
  }
  const run = () => page(0);
  for (const el of Object.values(boxes)) el.addEventListener(el.tagName === "SELECT" ? "change" : "input", el.tagName === "SELECT" ? run : debounce(run, 150));
  boxes.person.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown") {
      const first = results.querySelector("tbody tr");
      if (first) {
        event.preventDefault();
        first.focus();
      }
    }
  });

  // One claim: what it was recorded with and where it stands; correct or withdraw it while it is on no list.
  async function open(id, note) {
    try {
      const d = await call("claim_detail", { id });
      detailBox.replaceChildren(detail(d, note));
      detailBox.querySelector("h3")?.focus();
    } catch (error) {
      say(general, error.message, "error", error.code);
    }
  }

  function facts(d) {
    const f = d.facts;
    const p = policy(d.claim.policy);
    const rows = [];
    if (f.from) rows.push([p?.period_label ?? CLAIMS.from(""), f.to ? `${fmt.date(f.from)} – ${fmt.date(f.to)}` : fmt.date(f.from)]);
    if (f.days != null) rows.push([CLAIMS.days, fmt.number(f.days)]);
    if (f.applied) rows.push([CLAIMS.applied, fmt.date(f.applied)]);
    if (f.pregnant) rows.push([CLAIMS.pregnant, COMMON.yes]);
    if (f.elderly) rows.push([CLAIMS.elderly, COMMON.yes]);
    if (f.disabled) rows.push([CLAIMS.disabled, COMMON.yes]);
    for (const c of f.children ?? []) rows.push([CLAIMS.children, fmt.parts(c.name, fmt.date(c.dob), c.id_number)]);
    for (const [fact, yes] of Object.entries(f.flags ?? {})) {
      const question = p?.conditions.find((c) => c.fact === fact)?.question;
      if (question) rows.push([question, yes ? COMMON.yes : COMMON.no]);
    }
    return rows;
  }

  function detail(d, note) {
    const c = d.claim;
    const msg = message("register-detail-message");
    if (note) say(msg, note, "ok");
    const actions = h("div", { class: "actions" });
    const withdrawBox = h("div", { id: "register-withdraw-box" });
    if (d.changeable) {
      if (can("record")) actions.append(h("button", { type: "button", id: "register-correct", onclick: () => go("claims", { correct: d }) }, REGISTER.correct));
      if (state.session && WITHDRAWERS.includes(state.session.role)) actions.append(h("button", { type: "button", class: "secondary", id: "register-withdraw", onclick: () => openWithdraw(d, withdrawBox, msg) }, REGISTER.withdraw));
    }
    const closed = d.closed;
    return h(
      "section",
      { class: "card wide", id: "register-detail", "data-claim": c.id, "data-state": c.status },
      h("h3", { tabindex: "-1", id: "register-detail-heading" }, `${c.beneficiary_name} · ${policy(c.policy)?.title ?? c.policy}`),
      h(
        "dl",
        { class: "pairs" },
        h("dt", {}, REGISTER.colAmount),
        h("dd", { id: "register-detail-amount" }, fmt.money(c.amount)),
        h("dt", {}, REGISTER.colState),
        h("dd", { id: "register-detail-state" }, STATES[c.status] ?? c.status),
        h("dt", {}, REGISTER.colList),
        h("dd", {}, d.list?.name ?? REGISTER.noList),
        h("dt", {}, REGISTER.colRecorded),
        h("dd", {}, `${c.recorded_by}, ${fmt.dateTime(c.recorded_at)}`),
        closed ? [h("dt", {}, REGISTER.closedWhy[closed.kind] ?? REGISTER.closedWhy.rejected), h("dd", { id: "register-detail-closed" }, fmt.parts(closed.reason, closed.officer, closed.recorded_at ? fmt.dateTime(closed.recorded_at) : null))] : null,
        closed?.replaced_by ? [h("dt", {}, REGISTER.replacedBy), h("dd", {}, h("a", { href: "#", id: "register-replaced-by", onclick: (e) => (e.preventDefault(), open(closed.replaced_by)) }, REGISTER.openIt))] : null,
        d.corrects ? [h("dt", {}, REGISTER.corrects), h("dd", {}, h("a", { href: "#", id: "register-corrects", onclick: (e) => (e.preventDefault(), open(d.corrects)) }, REGISTER.openIt))] : null,
        facts(d).map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]),
      ),
      c.lines.length
        ? h(
            "table",
            { class: "grid", id: "register-detail-lines" },
            h("tbody", {}, c.lines.map((l) => h("tr", {}, h("td", {}, l.label, h("br"), h("small", { class: "muted" }, l.basis)), h("td", { class: "num" }, fmt.money(l.amount))))),
          )
        : null,
      d.list && !closed ? h("p", { class: "muted small", id: "register-listed-note" }, REGISTER.listedNote(d.list.name)) : null,
      msg,
      actions,
      withdrawBox,
    );
  }

  function openWithdraw(d, box, msg) {
    const reason = h("input", { type: "text", autocomplete: "off" });
    const err = h("p", { class: "message", role: "alert", id: "withdraw-message" });
    const form = h(
      "form",
      { class: "subform", id: "withdraw-form", novalidate: true },
      h("p", { class: "small" }, REGISTER.withdrawLead),
      h("div", { class: "form-grid" }, field("withdraw", "reason", REGISTER.withdrawReason, reason, { wide: true })),
      err,
      h("div", { class: "actions" }, h("button", { type: "submit", id: "withdraw-submit" }, REGISTER.withdrawSubmit), h("button", { type: "button", class: "secondary", onclick: () => box.replaceChildren() }, COMMON.cancel)),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await call("withdraw_claim", { id: d.claim.id, reason: reason.value });
        await page(0);
        open(d.claim.id, REGISTER.withdrawn(d.claim.beneficiary_name));
      } catch (error) {
        (showErrors(form, [error], { general: err }) ?? reason).focus();
      }
    });
    form.addEventListener("keydown", (e) => e.key === "Escape" && box.replaceChildren());
    box.replaceChildren(form);
    say(msg, "", "");
    reason.focus();
  }

  return {
    el: h("div", {}, filters, general, count, results, detailBox),
    ready: async () => {
      const [all, f] = await Promise.all([loadPolicies(), call("claim_filters")]);
      put(boxes.policy, h("option", { value: "" }, REGISTER.all), all.map((p) => h("option", { value: p.code }, p.title)));
      put(boxes.state, h("option", { value: "" }, REGISTER.all), Object.entries(STATES).map(([k, l]) => h("option", { value: k }, l)));
      put(boxes.residential_group, h("option", { value: "" }, REGISTER.all), f.groups.map((g) => h("option", { value: g }, g)));
      put(boxes.list, h("option", { value: "" }, REGISTER.all), h("option", { value: "none" }, REGISTER.noList), f.lists.map((l) => h("option", { value: l.id }, l.name)));
      for (const [k, el] of Object.entries(boxes)) if (el.tagName === "SELECT") el.value = lastFilter[k] ?? "";
      await run();
      if (params.open) await open(params.open, params.saved);
      else boxes.person.focus();
    },
    focusSearch: () => boxes.person.focus(),
  };
}
