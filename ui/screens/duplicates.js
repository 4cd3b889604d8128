// Kiểm tra trùng: the auditor's duplicate check. Choose the other wards' files (the ledger itself is always
// in), run on the app's background thread with progress and "Dừng", read the summary, go through the pairs
// side by side (paid twice first, what differs marked, the reasons in words), decide on each with a note
// (auditor or admin only; Enter never decides: a button, then a confirmation), and print or save the
// recovery list the decisions built.
import { call } from "../ipc.js";
import { h, field, showErrors, message, say, put } from "../dom.js";
import { table, pager } from "../table.js";
import { COMMON, DUPLICATES as D, EXPORT, ID_KINDS, SEX } from "../strings.js";
import { can, loadPolicies, policy, state, whoAmI } from "../state.js";
import { openPrint, coreSheet } from "../print.js";
import * as fmt from "../format.js";

// A quick check shows no progress bar at all; a long one shows it after this long.
const PROGRESS_AFTER_MS = 250;

// Reasons that speak against one person, and those about money: shown apart from the evidence for.
const AGAINST = new Set(["id_numbers_differ", "cccd_contradicts_birth", "name_different", "dob_different", "sex_different"]);
const MONEY = new Set(["paid_same_policy", "paid_excluded_policies", "child_in_two_claims"]);

// The files chosen for the next run; kept while the app is open, as the last run's report is.
let chosen = [];
let home = null;
const short = (path) => (home && path && path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path);
const expand = (path) => (home && path.startsWith("~/") ? `${home}${path.slice(1)}` : path);
const baseOf = (path) => path.slice(path.lastIndexOf("/") + 1);
const dirOf = (path) => path.slice(0, Math.max(0, path.lastIndexOf("/")));

const canDecide = () => can("decide");

function stat(id, label, value, detail, kind = "") {
  return h("div", { class: `stat ${kind}`, id, "data-value": String(value) }, h("span", { class: "muted" }, label), h("strong", {}, typeof value === "number" ? fmt.number(value) : value), detail ? h("small", { class: "muted" }, detail) : null);
}

// A labelled input with buttons on its right (a path and its dialog button, as on the import screen; a
// note and the decisions).
function fieldRow(prefix, name, label, input, buttons) {
  const wrap = field(prefix, name, label, input, { wide: true });
  const row = h("div", { class: "path-row" });
  input.replaceWith(row);
  row.append(input, ...buttons);
  return wrap;
}

// Runs the check with its progress in `box`; resolves with the summary, throws { code, message }.
async function runCheck(box, args) {
  const bar = h("progress", { id: "dup-progress", max: "1" });
  const text = h("p", { id: "dup-progress-text", class: "muted", role: "status", "aria-live": "polite" }, D.starting);
  const stop = h("button", { type: "button", id: "dup-stop", class: "secondary" }, D.stop);
  stop.addEventListener("click", async () => {
    stop.disabled = true;
    text.textContent = D.stopping;
    await call("cancel_duplicates").catch(() => {});
  });
  const timer = setTimeout(() => {
    box.replaceChildren(h("div", { class: "progress-box" }, bar, text, stop));
    stop.focus();
  }, PROGRESS_AFTER_MS);
  const channel = new window.__TAURI__.core.Channel();
  channel.onmessage = (p) => {
    bar.dataset.stage = p.stage;
    if (p.stage === "blocking") bar.removeAttribute("value"); // grouping is not counted through
    else {
      bar.max = Math.max(1, p.total);
      bar.value = Math.min(p.done, p.total);
    }
    if (stop.disabled) return;
    if (p.stage === "reading") text.textContent = D.stages.reading(p.done + 1, p.total, p.rows ? fmt.number(p.rows) : 0);
    else if (p.stage === "blocking") text.textContent = D.stages.blocking(fmt.number(p.total));
    else text.textContent = D.stages.comparing(fmt.number(p.done), fmt.number(p.total));
  };
  try {
    return await call("check_duplicates", { ...args, onProgress: channel });
  } finally {
    clearTimeout(timer);
    box.replaceChildren();
  }
}

// A CSV of `kind` saved where the auditor says (the export folder by default).
function csvSaver(prefix, kind, label) {
  const input = h("input", { type: "text", autocomplete: "off", spellcheck: "false" });
  const browse = h("button", { type: "button", class: "secondary", id: `${prefix}-browse` }, D.browseSave);
  const semicolon = h("input", { type: "checkbox", id: `${prefix}-semicolon` });
  const save = h("button", { type: "submit", id: `${prefix}-save` }, D.save);
  const msg = message(`${prefix}-message`);
  const form = h(
    "form",
    { id: `${prefix}-form`, class: "subform", novalidate: true },
    h("div", { class: "form-grid" }, fieldRow(prefix, "path", label, input, [browse, save])),
    h("label", { class: "check" }, semicolon, " ", D.semicolon),
    h("p", { class: "muted small" }, EXPORT.delimiterHint),
    msg,
  );
  browse.addEventListener("click", async () => {
    try {
      const picked = await call("pick_save_path", { title: D.browseSaveTitle, start: input.value });
      if (picked) input.value = short(picked);
      input.focus();
    } catch (error) {
      say(msg, error.message, "error", error.code);
    }
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    save.disabled = true;
    try {
      const res = await call("export_duplicates", { kind, semicolon: semicolon.checked, path: input.value });
      showErrors(form, [], { general: msg });
      say(msg, D.saved(fmt.number(res.rows), short(res.file)), "ok");
    } catch (error) {
      (showErrors(form, [error], { general: msg }) ?? input).focus();
    } finally {
      save.disabled = false;
    }
  });
  return {
    el: form,
    ready: async () => {
      if (!input.value) input.value = short(await call("default_export_path", { kind }));
    },
  };
}

// The values of a record as the pair table shows them, and how two of them are compared.
const nfc = (t) => (t ?? "").normalize("NFC").trim();
const FIELDS = [
  { key: "name", show: (r) => r.name, same: (a, b) => nfc(a.name) === nfc(b.name) },
  { key: "dob", show: (r) => r.dob, same: (a, b) => a.dob === b.dob },
  { key: "sex", show: (r) => SEX[r.sex] ?? r.sex, same: (a, b) => a.sex === b.sex },
  {
    key: "ids",
    show: (r) => (r.ids.length ? r.ids.map((i) => h("span", { class: "id-number" }, `${i.kind === "unknown" ? D.idUnknown : ID_KINDS[i.kind] ?? i.kind} ${i.number}`)) : null),
    same: (a, b) => a.ids.map((i) => i.number).sort().join() === b.ids.map((i) => i.number).sort().join(),
  },
  { key: "phone", show: (r) => r.phone, same: (a, b) => (a.phone ?? "").replace(/\D/g, "") === (b.phone ?? "").replace(/\D/g, "") },
  { key: "address", show: (r) => r.address, same: (a, b) => nfc(a.address).toLowerCase() === nfc(b.address).toLowerCase() },
  { key: "ward", show: (r) => r.ward, same: (a, b) => nfc(a.ward).toLowerCase() === nfc(b.ward).toLowerCase() },
];

function paymentLine(p) {
  const title = policy(p.policy)?.title ?? p.policy;
  const amount = p.amount ? fmt.money(p.amount) : D.noAmount;
  const more = fmt.after(p.paid_on ? D.paidOn(fmt.date(p.paid_on)) : null, p.decision ? D.decisionNo(p.decision) : null, p.list ? D.listName(p.list) : null);
  return h("li", { "data-state": p.state }, `${title}: `, h("span", { class: "nowrap" }, amount), ` (${D.paymentStates[p.state] ?? p.state})`, more);
}

export function duplicates() {
  // Sources.
  const path = h("input", { type: "text", autocomplete: "off", spellcheck: "false", placeholder: D.pathPlaceholder });
  const browse = h("button", { type: "button", class: "secondary", id: "dup-browse" }, D.browse);
  const add = h("button", { type: "submit", class: "secondary", id: "dup-add" }, D.add);
  const sourceList = h("ul", { class: "source-list", id: "dup-source-list" });
  const runHint = h("p", { class: "muted small", id: "dup-run-hint" });
  const runButton = h("button", { type: "button", id: "dup-run", "aria-describedby": "dup-run-hint" }, D.run);
  const msg = message("dup-message");
  const progress = h("div", { id: "dup-progress-box" });
  const addForm = h("form", { id: "dup-add-form", novalidate: true }, h("div", { class: "form-grid" }, fieldRow("dup", "path", D.path, path, [browse, add])));
  // The run's summary, its pairs and the recovery list.
  const summaryBox = h("section", { class: "card wide", id: "dup-summary", "aria-labelledby": "dup-summary-heading", hidden: true });
  const roleNote = h("p", { class: "message warning", id: "dup-role-note" });
  const filterBox = h("fieldset", { class: "plain filter", id: "dup-filter" });
  const decided = message("dup-decided");
  decided.tabIndex = -1;
  const pairList = h("div", { id: "dup-pair-list" });
  const pagerBox = h("div", { id: "dup-pager-box" });
  const recoveryBox = h("div", { id: "dup-recovery-box" });
  const recoveryMsg = message("dup-recovery-message");
  const printButton = h("button", { type: "button", class: "secondary", id: "dup-recovery-print" }, D.print);
  const pairsCsv = csvSaver("dup-pairs-csv", "duplicate-pairs", D.pairsCsv);
  const recoveryCsv = csvSaver("dup-recovery-csv", "recovery", D.csvPath);

  let ledgerShort = "";
  let summary = null;
  let filter = "all";
  let offset = 0;
  let busy = false;

  function renderSources() {
    put(
      sourceList,
      h("li", { "data-source": "ledger" }, h("strong", {}, D.thisLedger), " ", h("code", {}, ledgerShort), " ", h("span", { class: "muted" }, `(${D.thisLedgerAlways})`)),
      chosen.map((p) =>
        h(
          "li",
          { "data-source": p },
          h("code", { title: p }, short(p)),
          " ",
          h(
            "button",
            {
              type: "button",
              class: "secondary small",
              "aria-label": D.removeLabel(baseOf(p)),
              disabled: busy,
              onclick: () => {
                chosen = chosen.filter((c) => c !== p);
                renderSources();
                path.focus();
              },
            },
            D.remove,
          ),
        ),
      ),
    );
    runHint.textContent = D.runHint(chosen.length);
  }

  function addSource(typed) {
    const p = expand(typed.trim());
    if (!p) return D.needPath;
    if (chosen.includes(p)) return D.already;
    chosen.push(p);
    renderSources();
    return null;
  }

  addForm.addEventListener("submit", (event) => {
    event.preventDefault();
    if (busy) return;
    const problem = addSource(path.value);
    showErrors(addForm, problem ? [{ field: "path", message: problem }] : []);
    if (!problem) path.value = "";
    path.focus();
  });
  browse.addEventListener("click", async () => {
    try {
      const picked = await call("pick_open_paths", { title: D.browseTitle, filterName: D.browseFilter, extensions: ["csv", "txt", "tsv", "sqlite", "db"], start: path.value || chosen.at(-1) || "" });
      for (const p of picked) addSource(p);
      showErrors(addForm, []);
      (picked.length ? runButton : path).focus();
    } catch (error) {
      say(msg, error.message, "error", error.code);
    }
  });

  function setBusy(on) {
    busy = on;
    for (const el of [runButton, browse, add]) el.disabled = on;
    path.readOnly = on;
    renderSources();
  }

  const label = (source) => (summary && source === summary.ledger ? D.thisLedger : baseOf(source));

  function renderSummary(s) {
    summary = s;
    const sources = s.sources.map((src) => {
      const what = src.kind === "ledger" && src.source === s.ledger ? D.sourceLedger(fmt.number(src.people), fmt.number(src.children)) : D.sourceFile(fmt.number(src.people), fmt.number(src.children), src.encoding);
      return h(
        "li",
        { "data-source": src.source === s.ledger ? "ledger" : src.source, "data-nothing": String(src.nothing_to_compare) },
        h("strong", { title: short(src.source) }, label(src.source)),
        ": ",
        what,
        src.nothing_to_compare ? [h("br"), h("span", { class: "warning-text" }, D.nothing(fmt.number(src.nothing_to_compare), src.nothing_lines.join(", "), src.nothing_to_compare > src.nothing_lines.length))] : null,
      );
    });
    put(
      summaryBox,
      h("h3", { id: "dup-summary-heading", tabindex: "-1" }, D.summaryHeading),
      h(
        "div",
        { class: "stats", id: "dup-stats" },
        stat("dup-records", D.records, s.records, D.recordsDetail(fmt.number(s.comparisons))),
        stat("dup-certain", D.certain, s.certain, D.pairsDetail),
        stat("dup-likely", D.likely, s.likely, D.pairsDetail),
        stat("dup-possible", D.possible, s.possible, D.pairsDetail),
        stat("dup-paid-twice", D.paidTwice, s.paid_twice, D.paidTwiceDetail(fmt.number(s.claimed_twice)), s.paid_twice ? "bad" : "good"),
        stat("dup-at-stake", D.atStake, fmt.money(s.at_stake_total), D.atStakeDetail, s.at_stake_total ? "bad" : ""),
      ),
      h("h4", {}, D.sourcesRead),
      h("ul", { class: "source-list", id: "dup-sources-read" }, sources),
      s.oversized_blocks.map((o) => h("p", { class: "message warning", "data-rule": o.rule }, D.oversized(fmt.number(o.blocks), fmt.number(o.records), D.rules[o.rule] ?? o.rule))),
      s.reviewed_hidden ? h("p", { class: "muted", id: "dup-hidden" }, D.hidden(fmt.number(s.reviewed_hidden))) : null,
      s.decided ? h("p", { class: "muted", id: "dup-decided-count" }, D.decidedSoFar(fmt.number(s.decided), fmt.number(s.open))) : null,
      pairsCsv.el,
    );
    summaryBox.hidden = false;
    pairsCsv.ready().catch(() => {});
  }

  function renderRole() {
    const ok = canDecide();
    roleNote.textContent = ok ? "" : D.roleNeeded(...whoAmI());
    roleNote.className = ok ? "message" : "message warning";
    for (const el of pairList.querySelectorAll("[data-decide], .pair-note")) el.disabled = !ok;
    for (const el of pairList.querySelectorAll(".pair-confirm")) if (!ok) el.remove();
  }

  function cell(value, differs) {
    const empty = value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length);
    return h("td", { class: differs ? "diff" : null, "data-diff": differs ? "true" : null }, empty ? h("span", { class: "muted" }, COMMON.none) : value, differs ? h("span", { class: "sr-only" }, D.differs) : null);
  }

  function place(r) {
    const where = r.line ? D.line(fmt.number(r.line)) : r.person ? D.person(fmt.shortId(r.person)) : null;
    return [h("strong", { title: short(r.source) }, label(r.source)), where ? ` · ${where}` : "", r.child_of ? [h("br"), h("small", {}, D.childOf(r.child_of))] : null];
  }

  function pairCard(p) {
    const id = `pair-${p.n}`;
    const rows = [
      h("tr", { "data-row": "place" }, h("th", { scope: "row" }, D.rows.place), cell(place(p.a), false), cell(place(p.b), false)),
      FIELDS.map((f) => {
        const [a, b] = [f.show(p.a), f.show(p.b)];
        const differs = a !== null && a !== undefined && a !== "" && b !== null && b !== undefined && b !== "" && !f.same(p.a, p.b);
        return h("tr", { "data-row": f.key }, h("th", { scope: "row" }, D.rows[f.key]), cell(a, differs), cell(b, differs));
      }),
      h(
        "tr",
        { "data-row": "payments" },
        h("th", { scope: "row" }, D.rows.payments),
        [p.a, p.b].map((r) => cell(r.payments.length ? h("ul", { class: "payments" }, r.payments.map(paymentLine)) : D.nothingPaid, false)),
      ),
    ];
    const reasons = h(
      "ul",
      { class: "reasons-list" },
      p.reasons.map((r) => h("li", { "data-code": r.code, class: AGAINST.has(r.code) ? "against" : MONEY.has(r.code) ? "money" : "for" }, r.text)),
    );
    // The decision: a note, then a button, then a confirmation naming what will happen.
    const note = h("input", { type: "text", autocomplete: "off", class: "pair-note", placeholder: D.notePlaceholder, disabled: !canDecide() });
    const general = h("p", { class: "message", role: "alert", id: `${id}-message` });
    const confirmBox = h("div", { id: `${id}-confirm-box` });
    const same = h("button", { type: "button", id: `${id}-same`, "data-decide": "same", disabled: !canDecide() }, D.same);
    const distinct = h("button", { type: "button", id: `${id}-distinct`, class: "secondary", "data-decide": "distinct", disabled: !canDecide() }, D.distinct);
    // The note with the two buttons on its right: Tab goes note → Cùng một người → Không phải cùng một người.
    const box = h("div", { class: "decision", id: `${id}-decision` }, fieldRow(id, "note", D.note, note, [same, distinct]), general, confirmBox);
    note.addEventListener("keydown", (event) => {
      // Enter in the note never records a decision.
      if (event.key === "Enter") {
        event.preventDefault();
        say(general, D.noteEnter, "warning");
      }
    });
    const ask = (samePerson, opener) => {
      if (!canDecide()) return;
      const text = note.value.trim();
      if ([...text].length < 5) {
        showErrors(box, [{ field: "note", message: D.noteShort }], { general });
        return note.focus();
      }
      showErrors(box, [], { general });
      const cancel = () => {
        confirmBox.replaceChildren();
        opener.focus();
      };
      const yes = h("button", { type: "button", id: `${id}-confirm-yes`, class: samePerson ? null : "secondary" }, D.confirmYes);
      const panel = h(
        "div",
        { class: "pair-confirm", id: `${id}-confirm`, role: "alertdialog", "aria-labelledby": `${id}-confirm-text`, "data-same": String(samePerson) },
        h("p", { class: "strong", id: `${id}-confirm-text` }, samePerson ? D.confirmSame(p.conflict === "paid_twice" ? fmt.money(p.at_stake) : null) : D.confirmDistinct),
        h("div", { class: "confirm-row" }, h("p", {}, D.confirmNote(text)), yes, h("button", { type: "button", class: "secondary", id: `${id}-confirm-no`, onclick: cancel }, COMMON.cancel)),
      );
      panel.addEventListener("keydown", (e) => e.key === "Escape" && cancel());
      yes.addEventListener("click", async () => {
        yes.disabled = true;
        try {
          const res = await call("decide_duplicate", { key: p.key, samePerson, note: text });
          const names = D.names(p.a.name, p.b.name);
          const said = res.same_person ? D.decidedSame(names, fmt.number(res.recovery_lines), fmt.money(res.recovery_amount)) : D.decidedDistinct(names);
          say(decided, said, "ok");
          const at = [...pairList.querySelectorAll("article.pair")].indexOf(card);
          await Promise.all([refreshSummary(), loadPage(offset, { focusAt: at }), loadRecovery()]);
        } catch (error) {
          confirmBox.replaceChildren();
          (showErrors(box, [error], { general }) ?? opener).focus();
        }
      });
      confirmBox.replaceChildren(panel);
      panel.scrollIntoView({ block: "nearest" });
      yes.focus({ preventScroll: true });
    };
    same.addEventListener("click", () => ask(true, same));
    distinct.addEventListener("click", () => ask(false, distinct));
    const conflict = D.conflicts[p.conflict];
    const card = h(
      "article",
      { class: `pair ${p.conflict}`, id, "data-key": p.key, "data-conflict": p.conflict, "data-class": p.class, "aria-labelledby": `${id}-title` },
      h(
        "h4",
        { id: `${id}-title`, tabindex: "-1" },
        D.pairTitle(fmt.number(p.n), p.class_label, p.score.toFixed(2).replace(".", ",")),
        conflict ? [" ", h("span", { class: `badge conflict ${p.conflict}`, id: `${id}-conflict` }, typeof conflict === "function" ? conflict(fmt.money(p.at_stake)) : conflict)] : null,
      ),
      h(
        "table",
        { class: "grid pair-table", id: `${id}-table` },
        h("colgroup", {}, h("col", { class: "field-col" }), h("col"), h("col")),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, D.colField), h("th", { scope: "col" }, D.colA), h("th", { scope: "col" }, D.colB))),
        h("tbody", {}, rows),
      ),
      h("h5", {}, D.reasons),
      reasons,
      box,
    );
    return card;
  }

  function renderFilters(counts) {
    put(
      filterBox,
      h("legend", {}, D.filter),
      Object.keys(D.filters).map((value) => {
        const input = h("input", { type: "radio", name: "dup-filter", value, id: `dup-filter-${value}`, checked: value === filter });
        input.addEventListener("change", () => {
          filter = value;
          say(decided, "", "");
          loadPage(0);
        });
        return h("label", { class: "radio" }, input, " ", D.filters[value](fmt.number(counts[value])));
      }),
    );
  }

  // One page of open pairs; after a decision the keyboard lands on the pair now where the decided one was.
  async function loadPage(at, { focusAt = null } = {}) {
    if (!summary) {
      put(pairList, h("p", { class: "muted", id: "dup-no-run" }, D.noRun));
      return;
    }
    try {
      let page = await call("duplicate_pairs", { filter, offset: at });
      if (!page.pairs.length && at > 0) page = await call("duplicate_pairs", { filter, offset: Math.max(0, at - page.size) });
      offset = page.offset;
      renderFilters(page.counts);
      put(pairList, page.pairs.length ? page.pairs.map(pairCard) : h("p", { class: "muted", id: "dup-none" }, page.counts.all ? D.noneFiltered : D.none));
      // Another page: the keyboard and the view go to its first pair.
      put(pagerBox, pager("dup-pager", { offset: page.offset, count: page.pairs.length, total: page.total, size: page.size }, (o) => loadPage(o).then(() => pairList.querySelector(".pair h4")?.focus()), fmt.number));
      renderRole();
      if (focusAt !== null) {
        const cards = pairList.querySelectorAll("article.pair");
        const next = cards[Math.min(focusAt, cards.length - 1)];
        (next?.querySelector(".pair-note:not(:disabled)") ?? decided).focus?.({ preventScroll: true });
        (next ?? decided).scrollIntoView({ block: "nearest" });
      }
    } catch (error) {
      put(pairList, h("p", { class: "message error" }, error.message));
    }
  }

  async function refreshSummary() {
    const s = await call("duplicate_summary");
    if (s) renderSummary(s);
  }

  async function loadRecovery() {
    try {
      const r = await call("recovery_list");
      put(
        recoveryBox,
        r.items.length
          ? [
              table(
                "dup-recovery-table",
                [
                  { label: COMMON.stt, cell: (_, i) => fmt.number(i + 1), num: true },
                  { label: D.colPerson, cell: (it) => it.person_name },
                  { label: D.colIds, cell: (it) => it.id_numbers },
                  { label: D.colPolicy, cell: (it) => policy(it.policy)?.title ?? it.policy },
                  { label: D.colAmount, cell: (it) => fmt.money(it.amount), num: true },
                  { label: D.colPaid, cell: (it) => fmt.parts(fmt.date(it.paid_on), it.decision_no ? D.decisionNo(it.decision_no) : null, it.list_name) },
                  { label: D.colDecided, cell: (it) => [it.decided_by, h("br"), h("small", { class: "muted" }, fmt.vnDate(it.decided_at))] },
                ],
                r.items,
                { rowAttrs: (it) => ({ "data-id": it.id }) },
              ),
              h("p", { class: "strong", id: "dup-recovery-total", "data-value": String(r.total) }, D.recoveryTotal(fmt.number(r.items.length), fmt.money(r.total))),
              h("div", { class: "actions" }, printButton),
              recoveryCsv.el,
            ]
          : h("p", { class: "muted", id: "dup-recovery-none" }, D.recoveryNone),
      );
      // Each line's basis (long: the pair's reasons) on a row of its own under it.
      const rows = recoveryBox.querySelectorAll("#dup-recovery-table tbody tr");
      r.items.forEach((it, i) => rows[i]?.after(h("tr", { class: "basis-row", "data-basis-of": it.id }, h("td"), h("td", { colspan: "6" }, h("small", {}, `${D.colBasis}: ${it.basis}`)))));
      if (r.items.length) await recoveryCsv.ready();
    } catch (error) {
      put(recoveryBox, h("p", { class: "message error" }, error.message));
    }
  }

  // The recovery list as the core prints it, in the app's print view; saved as HTML on request.
  printButton.addEventListener("click", async () => {
    try {
      const html = await call("sheet_html", { kind: "recovery-sheet", list: "" });
      const note = message("print-saved");
      note.classList.add("no-print");
      const save = h("button", { type: "button", class: "secondary", id: "print-save-html" }, EXPORT.saveHtml);
      save.addEventListener("click", async () => {
        try {
          const proposed = short(await call("default_export_path", { kind: "recovery-sheet" }));
          const csvDir = dirOf(document.getElementById("dup-recovery-csv-path")?.value ?? "");
          const res = await call("save_sheet", { kind: "recovery-sheet", list: "", path: `${csvDir || dirOf(proposed)}/${baseOf(proposed)}` });
          say(note, EXPORT.savedHtml(short(res.file)), "ok");
        } catch (error) {
          say(note, error.message, "error", error.code);
        }
      });
      openPrint("recovery-sheet", coreSheet(html), { actions: [save], note });
    } catch (error) {
      say(recoveryMsg, error.message, "error", error.code);
    }
  });

  runButton.addEventListener("click", async () => {
    if (busy) return;
    showErrors(addForm, [], { general: msg });
    say(decided, "", "");
    // The app drops the last report as the next run starts.
    summary = null;
    summaryBox.hidden = true;
    pairList.replaceChildren();
    pagerBox.replaceChildren();
    filterBox.replaceChildren();
    setBusy(true);
    try {
      const s = await runCheck(progress, { sources: chosen });
      setBusy(false);
      filter = "all";
      renderSummary(s);
      say(msg, D.done(fmt.number(s.pairs), s.seconds < 1 ? null : s.seconds.toFixed(1).replace(".", ",")), "ok");
      await loadPage(0);
      document.getElementById("dup-summary-heading")?.focus();
    } catch (error) {
      setBusy(false);
      if (error.code === "cancelled") say(msg, D.stopped, "warning", "cancelled");
      else say(msg, error.message, "error", error.code);
      // A source refused before the run leaves the last report in place.
      const last = await call("duplicate_summary").catch(() => null);
      if (last) renderSummary(last);
      await loadPage(0);
      runButton.focus();
    }
  });

  const root = h(
    "div",
    { id: "duplicates" },
    h(
      "section",
      { class: "card wide", id: "dup-sources", "aria-labelledby": "dup-sources-heading" },
      h("h3", { id: "dup-sources-heading" }, D.sourcesHeading),
      h("p", { class: "muted" }, D.lead),
      sourceList,
      addForm,
      h("div", { class: "actions" }, runButton),
      runHint,
      msg,
      progress,
    ),
    summaryBox,
    h("section", { class: "card wide", id: "dup-pairs", "aria-labelledby": "dup-pairs-heading" }, h("h3", { id: "dup-pairs-heading" }, D.pairsHeading), h("p", { class: "muted" }, D.pairsLead), roleNote, filterBox, decided, pairList, pagerBox),
    h("section", { class: "card wide", id: "dup-recovery", "aria-labelledby": "dup-recovery-heading" }, h("h3", { id: "dup-recovery-heading" }, D.recoveryHeading), h("p", { class: "muted" }, D.recoveryLead), recoveryBox, recoveryMsg),
  );

  // Another operator signed in: the decision buttons follow their role.
  const onOperator = () => (root.isConnected ? renderRole() : state.listeners.delete(onOperator));
  state.listeners.add(onOperator);

  return {
    el: root,
    ready: async () => {
      path.focus();
      renderSources();
      renderRole();
      try {
        const info = await call("app_info");
        home = info.home;
        ledgerShort = info.ledgerPathShort;
        renderSources();
        await loadPolicies();
        const last = await call("duplicate_summary");
        if (last) renderSummary(last);
        await Promise.all([loadPage(0), loadRecovery()]);
      } catch (error) {
        say(msg, error.message, "error", error.code);
      }
    },
    onNew: () => path.focus(),
  };
}
