// Nhập / Xuất: a ward file in — CSV or an Excel workbook — checked first: what the file was taken to be,
// which column was read as what (a drop-down per column to read it otherwise, remembered by the core for
// the next file with the same headers), the required conditions its rows leave unanswered with their legal
// basis (confirmed once for the whole file), what would be added, every problem with its line; then written
// all-or-nothing, or the good rows only with the rejected ones written back for fixing), on the app's
// background thread with progress and "Dừng"; the import template; reports out as Excel workbooks or CSV;
// and the printable sheets of a list.
import { call } from "../ipc.js";
import { h, field, showErrors, message, say } from "../dom.js";
import { table } from "../table.js";
import { EXPORT, IMPORT, ID_KINDS, ROLE_NOTES } from "../strings.js";
import { can, whoAmI } from "../state.js";
import { openPrint, coreSheet } from "../print.js";
import { reasonItems } from "./people.js";
import * as fmt from "../format.js";

// Problems listed on screen; the report carries up to 10,000 and the rejects file every rejected row.
const PROBLEMS_SHOWN = 200;
// A quick check shows no progress bar at all; a long one shows it after this long.
const PROGRESS_AFTER_MS = 250;

// Excel's column letters: 1 → A, 27 → AA.
function letter(n) {
  let s = "";
  for (; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

const kb = (bytes) => fmt.number(Math.ceil(bytes / 1024));

// A file name from a list's name: "Đợt 1 – tháng 9/2021" → "dot-1-thang-9-2021".
function slug(text) {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[\u0111\u0110]/g, "d") // đ Đ
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

// Paths are shown (and proposed) with the home folder written "~", as the status line does; the app
// reads "~/" back as the home folder.
let home = null;
const short = (path) => (home && path && path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path);

const dirOf = (path) => path.slice(0, Math.max(0, path.lastIndexOf("/")));
const baseOf = (path) => path.slice(path.lastIndexOf("/") + 1);

// A path input with its dialog button beside it.
function pathField(prefix, label, input, button, hint) {
  const wrap = field(prefix, "path", label, input, { wide: true, hint });
  const row = h("div", { class: "path-row" });
  input.replaceWith(row);
  row.append(input, button);
  return wrap;
}

// Runs import_file (a check or the real import) with its progress in `box`; resolves with the report,
// throws the command's { code, message } (code "cancelled" when stopped).
async function runImport(box, args) {
  const bar = h("progress", { id: "import-progress", max: "1", value: "0" });
  const text = h("p", { id: "import-progress-text", class: "muted", role: "status", "aria-live": "polite" }, args.dryRun ? IMPORT.checking : IMPORT.importing);
  const stop = h("button", { type: "button", id: "import-stop", class: "secondary" }, IMPORT.stop);
  stop.addEventListener("click", async () => {
    stop.disabled = true;
    text.textContent = IMPORT.stopping;
    await call("cancel_import").catch(() => {});
  });
  const timer = setTimeout(() => {
    box.replaceChildren(h("div", { class: "progress-box" }, bar, text, stop));
    stop.focus();
  }, PROGRESS_AFTER_MS);
  const channel = new window.__TAURI__.core.Channel();
  channel.onmessage = (p) => {
    bar.max = Math.max(1, p.bytes_total);
    bar.value = p.bytes_read;
    bar.dataset.rows = String(p.rows_read);
    if (!stop.disabled) text.textContent = IMPORT.progress(kb(p.bytes_read), kb(p.bytes_total), fmt.number(p.rows_read));
  };
  try {
    return await call("import_file", { ...args, onProgress: channel });
  } finally {
    clearTimeout(timer);
    box.replaceChildren();
  }
}

// Who a record is: the name, then its birth date and numbers.
function who(r) {
  const ids = r.ids.map((d) => `${ID_KINDS[d.kind] ?? d.kind} ${d.number}`).join(", ");
  return [h("strong", {}, r.name), h("br"), h("small", { class: "muted" }, fmt.parts(r.dob, ids))];
}

// A check's rows likely already in the ledger under another number or spelling (the import only sees
// exact numbers): the file's line, the row, who it may be, the reasons. Kiểm tra trùng shows them in full.
function likelyView(d) {
  if (!d || !d.total) return null;
  return h(
    "section",
    { id: "import-likely", "data-total": String(d.total), "aria-labelledby": "import-likely-heading" },
    h("h4", { id: "import-likely-heading" }, IMPORT.likelyHeading(fmt.number(d.total))),
    h("p", { class: "message warning" }, IMPORT.likelyLead),
    d.total > d.rows.length ? h("p", { class: "muted small", id: "import-likely-capped" }, IMPORT.likelyCapped(fmt.number(d.rows.length), fmt.number(d.total))) : null,
    table(
      "import-likely-rows",
      [
        { label: IMPORT.colLine, cell: (p) => fmt.number(p.row.line), num: true },
        { label: IMPORT.colRow, cell: (p) => who(p.row) },
        { label: IMPORT.colOther, cell: (p) => (p.other.line ? IMPORT.otherRow(fmt.number(p.other.line)) : who(p.other)) },
        { label: IMPORT.colClass, cell: (p) => h("span", { class: `badge likely-${p.class}` }, IMPORT.likelyClass[p.class] ?? p.class_label) },
        { label: IMPORT.colReasons, cell: (p) => h("ul", { class: "reasons-list" }, reasonItems(p.reasons)) },
      ],
      d.rows,
      { rowAttrs: (p) => ({ "data-line": p.row.line, "data-person": p.other.person ?? "" }) },
    ),
    h("p", { class: "muted small", id: "import-likely-hint" }, IMPORT.likelyHint),
  );
}

function stat(id, label, value, detail, kind = "") {
  return h("div", { class: `stat ${kind}`, id, "data-value": String(value) }, h("span", { class: "muted" }, label), h("strong", {}, typeof value === "number" ? fmt.number(value) : value), detail ? h("small", { class: "muted" }, detail) : null);
}

// The columns of the file, each with a drop-down of the template's columns: changing one checks the file
// again read that way (`ctl.choose`). Only a check offers the choice; an import shows how it read them.
function columnsView(r, ctl) {
  const rows = r.columns.filter((c) => c.header || c.read_as);
  const note = (c) =>
    c.duplicate_of ? IMPORT.duplicateOf(letter(c.duplicate_of)) : c.displaced_by ? IMPORT.displacedBy(letter(c.displaced_by)) : c.chosen ? IMPORT.chosen : "";
  const picker = (c) => {
    const select = h(
      "select",
      { id: `import-map-${c.letter}`, "data-column": c.letter, "aria-label": IMPORT.readAs(c.letter, c.header), disabled: !r.dry_run },
      h("option", { value: "" }, IMPORT.ignoreOption),
      r.fields.map((f) => h("option", { value: f.key, selected: f.key === c.field }, f.header)),
    );
    select.addEventListener("change", () => ctl.choose(c.letter, select.value || null));
    return select;
  };
  return [
    h("p", { class: "muted small" }, IMPORT.columnsLead),
    r.choices_remembered ? h("p", { class: "message ok", id: "import-choices-remembered" }, IMPORT.choicesRemembered) : null,
    table(
      "import-columns",
      [
        { label: IMPORT.colLetter, cell: (c) => c.letter },
        { label: IMPORT.colHeader, cell: (c) => c.header },
        { label: IMPORT.colReadAs, cell: (c) => [picker(c), note(c) ? h("small", { class: "muted" }, ` ${note(c)}`) : null] },
      ],
      rows,
      { rowAttrs: (c) => ({ "data-column": c.column, "data-letter": c.letter, "data-read-as": c.read_as ?? "", class: c.read_as ? "" : "ignored" }) },
    ),
  ];
}

// The required conditions the file's rows leave unanswered, each with its legal basis (the rule pack's), and
// the officer's confirmation for the whole file.
function conditionsView(r, ctl) {
  if (!r.conditions.length) return null;
  const rows = r.conditions.reduce((n, c) => n + c.rows, 0);
  const box = h("input", { type: "checkbox", id: "import-confirm-conditions", checked: r.conditions_confirmed, disabled: !r.dry_run });
  box.addEventListener("change", () => ctl.confirm(box.checked));
  return h(
    "section",
    { class: "subform", id: "import-conditions", "data-rows": String(rows), "aria-labelledby": "import-conditions-heading" },
    h("h4", { id: "import-conditions-heading" }, IMPORT.conditionsHeading),
    h("p", { class: r.conditions_confirmed ? "muted small" : "message warning" }, IMPORT.conditionsLead(fmt.number(rows))),
    r.conditions.map((c) =>
      h(
        "div",
        { class: "condition-policy", "data-policy": c.policy },
        h("strong", {}, IMPORT.conditionsPolicy(c.policy, c.title, fmt.number(c.rows))),
        h(
          "ul",
          {},
          c.conditions.map((x) => h("li", { "data-fact": x.fact }, `${x.question}? `, h("small", { class: "muted" }, `${x.basis} · ${x.confidence_label}`))),
        ),
      ),
    ),
    h("label", { class: "check" }, box, " ", IMPORT.conditionsConfirm),
    r.conditions_confirmed ? h("p", { class: "message ok", id: "import-conditions-confirmed" }, IMPORT.conditionsConfirmed) : null,
  );
}

// A workbook's sheets, to read another one.
function sheetPicker(r, ctl) {
  const select = h("select", { id: "import-sheet-choice" }, r.sheets.map((name) => h("option", { value: name, selected: name === r.sheet }, name)));
  select.addEventListener("change", () => ctl.sheet(select.value));
  return field("import", "sheet-choice", IMPORT.sheetChoice, select);
}

// What the import found (a check) or did: the file as read, the columns, the counts, the problems.
function reportView(r, ctl) {
  const read = r.columns.filter((c) => c.read_as);
  const ignored = r.columns.filter((c) => !c.read_as && c.header);
  const heading = r.dry_run ? IMPORT.previewHeading : r.committed ? IMPORT.doneHeading : IMPORT.notWrittenHeading;
  const shown = r.problems.slice(0, PROBLEMS_SHOWN);
  const skipped = r.lines_skipped.slice(0, 12).join(", ");
  return h(
    "section",
    { class: "subform", id: "import-report", "data-dry-run": String(r.dry_run), "data-committed": String(r.committed), "aria-labelledby": "import-report-heading" },
    h("h4", { id: "import-report-heading", tabindex: "-1" }, heading),
    h(
      "dl",
      { class: "pairs", id: "import-file-facts" },
      h("dt", {}, IMPORT.file),
      h("dd", { id: "import-file", title: r.file }, short(r.file)),
      h("dt", {}, IMPORT.encoding),
      h("dd", { id: "import-encoding" }, r.encoding_label),
      r.sheet ? [h("dt", {}, IMPORT.sheetRead), h("dd", { id: "import-sheet-read" }, r.sheet)] : [h("dt", {}, IMPORT.delimiter), h("dd", { id: "import-delimiter" }, r.delimiter)],
      h("dt", {}, IMPORT.headerLine),
      h("dd", { id: "import-header-line" }, IMPORT.headerLineValue(r.line_word, r.header_line)),
      r.lines_skipped.length ? [h("dt", {}, IMPORT.skipped), h("dd", { id: "import-skipped" }, IMPORT.skippedLines(r.line_word, skipped, r.lines_skipped.length > 12))] : null,
    ),
    r.sheets.length > 1 && r.dry_run ? sheetPicker(r, ctl) : null,
    h("p", { class: "muted small", id: "import-columns-count" }, IMPORT.columns(fmt.number(read.length), ignored.length ? fmt.number(ignored.length) : null)),
    columnsView(r, ctl),
    r.restored_total
      ? h(
          "details",
          { id: "import-restored", "data-count": String(r.restored_total) },
          h("summary", {}, IMPORT.restored(fmt.number(r.restored_total))),
          h("ul", {}, r.restored.slice(0, PROBLEMS_SHOWN).map((x) => h("li", { "data-line": x.line }, `${r.line_word} ${x.line}, ${x.column}: ${x.stored} → ${x.read} (${x.reason})`))),
        )
      : null,
    conditionsView(r, ctl),
    h(
      "div",
      { class: "stats", id: "import-stats" },
      stat("import-rows-read", IMPORT.rowsRead, r.rows_read),
      stat("import-rows-added", r.committed ? IMPORT.added : IMPORT.wouldAdd, r.rows_added, IMPORT.addedDetail(fmt.number(r.people_added), fmt.number(r.households_added), fmt.number(r.groups_added)), "good"),
      stat("import-rows-present", IMPORT.alreadyThere, r.rows_already_present, IMPORT.alreadyThereDetail),
      stat("import-rows-rejected", IMPORT.rejected, r.rows_rejected, IMPORT.rejectedDetail(fmt.number(r.problems_total)), r.rows_rejected ? "bad" : ""),
      stat("import-amount", IMPORT.amount, fmt.money(r.amount_added)),
    ),
    r.rejects_file ? h("p", { class: "message warning", id: "import-rejects" }, `${IMPORT.rejectsFile}: `, h("code", { id: "import-rejects-file", title: r.rejects_file }, short(r.rejects_file))) : null,
    shown.length
      ? [
          h("h4", {}, IMPORT.problems(fmt.number(r.problems_total))),
          r.problems_total > shown.length ? h("p", { class: "muted small", id: "import-problems-capped" }, IMPORT.problemsCapped(fmt.number(shown.length), fmt.number(r.problems_total))) : null,
          table(
            "import-problems",
            [
              { label: IMPORT.colLine, cell: (p) => fmt.number(p.line), num: true },
              { label: IMPORT.colColumn, cell: (p) => p.column },
              { label: IMPORT.colValue, cell: (p) => h("code", {}, p.value) },
              { label: IMPORT.colReason, cell: (p) => p.reason },
            ],
            shown,
            { rowAttrs: (p) => ({ "data-line": p.line }) },
          ),
        ]
      : null,
    likelyView(r.likely_duplicates),
  );
}

function importSection() {
  const path = h("input", { type: "text", autocomplete: "off", spellcheck: "false", placeholder: IMPORT.pathPlaceholder });
  const sheet = h("input", { type: "text", autocomplete: "off", spellcheck: "false" });
  const browse = h("button", { type: "button", class: "secondary", id: "import-browse" }, IMPORT.browse);
  const accept = h("input", { type: "checkbox", id: "import-accept-valid" });
  const check = h("button", { type: "submit", id: "import-check" }, IMPORT.check);
  const commit = h("button", { type: "button", id: "import-commit", disabled: true, "aria-describedby": "import-commit-hint" }, IMPORT.commit);
  const hint = h("p", { class: "muted small", id: "import-commit-hint" }, IMPORT.needCheck);
  const msg = message("import-message");
  const progress = h("div", { id: "import-progress-box" });
  const preview = h("div", { id: "import-preview" });
  const form = h(
    "form",
    { id: "import-form", novalidate: true },
    h("div", { class: "form-grid" }, pathField("import", IMPORT.path, path, browse), field("import", "sheet", IMPORT.sheet, sheet, { hint: IMPORT.sheetHint })),
    h("label", { class: "check" }, accept, " ", IMPORT.acceptValid),
    h("div", { class: "actions" }, check, commit),
    hint,
    msg,
    progress,
  );
  // The last check, for the path it was made on; "Nhập vào sổ" needs one.
  let checked = null;
  let busy = false;
  // How the officer reads this file: the column choices (null: let the core use what it remembers for
  // these headers) and the whole file's confirmation of the conditions; both start over with a new path.
  let choices = null;
  let confirm = false;
  const ctl = {
    choose: (column, key) => {
      const header = checked?.report.columns.find((c) => c.letter === column)?.header;
      const kept = (choices ?? checked?.report.choices ?? []).filter((c) => c.column !== column && c.column !== header && (key === null || c.field !== key));
      choices = [...kept, { column, field: key }];
      refocus = `import-map-${column}`;
      if (!busy) run(true);
    },
    confirm: (on) => {
      confirm = on;
      refocus = "import-confirm-conditions";
      if (!busy) run(true);
    },
    sheet: (name) => {
      sheet.value = name;
      choices = null;
      refocus = "import-sheet-choice";
      if (!busy) run(true);
    },
  };

  function updateCommit() {
    const r = checked?.report;
    let text = IMPORT.needCheck;
    let kind = "muted small";
    let ok = false;
    if (r) {
      const n = fmt.number;
      if (r.rows_added === 0) text = IMPORT.nothing;
      else if (r.rows_rejected > 0 && !accept.checked) {
        text = IMPORT.blocked(n(r.rows_rejected), n(r.rows_added));
        kind = "warning-text";
      } else {
        ok = true;
        text = r.rows_rejected > 0 ? IMPORT.partial(n(r.rows_added), n(r.rows_rejected)) : IMPORT.ready(n(r.rows_added), fmt.money(r.amount_added));
      }
    }
    // Checking a file reads it only; importing is a recorder's.
    if (ok && !can("record")) {
      ok = false;
      text = ROLE_NOTES.import(...whoAmI());
      kind = "warning-text";
    }
    commit.disabled = busy || !ok;
    hint.textContent = text;
    hint.className = kind;
  }

  function setBusy(on) {
    busy = on;
    for (const el of [check, browse, accept]) el.disabled = on;
    path.readOnly = on;
    sheet.readOnly = on;
    for (const el of preview.querySelectorAll("select, input")) el.disabled = on || !checked;
    updateCommit();
  }

  // After a check asked for from the preview (a column read otherwise, the conditions confirmed, another
  // sheet), the keyboard goes back to the control that asked.
  let refocus = null;

  async function run(dryRun) {
    showErrors(form, [], { general: msg });
    if (dryRun) checked = null;
    const typed = path.value;
    setBusy(true);
    try {
      // A check never writes (not even the rejects file); the real import keeps the good rows if asked.
      const report = await runImport(progress, {
        path: typed,
        dryRun,
        acceptValid: !dryRun && accept.checked,
        sheet: sheet.value.trim() || null,
        choices,
        confirmConditions: confirm,
      });
      // What the core read the columns with becomes what the next check and the import send.
      choices = report.choices;
      preview.replaceChildren(reportView(report, ctl));
      if (dryRun) {
        checked = { path: typed, report };
        setBusy(false);
        // The next step: import, or decide about the rejected rows, or another file.
        const back = refocus && document.getElementById(refocus);
        refocus = null;
        if (back) back.focus();
        else if (!commit.disabled) commit.focus();
        else if (report.rows_added > 0 && report.rows_rejected > 0) accept.focus();
        else path.focus();
      } else {
        checked = null;
        setBusy(false);
        if (report.committed) say(msg, IMPORT.committed(fmt.number(report.rows_added), fmt.money(report.amount_added)), "ok");
        else say(msg, IMPORT.notCommitted, "warning");
        document.getElementById("import-report-heading")?.focus();
      }
    } catch (error) {
      refocus = null;
      preview.replaceChildren();
      setBusy(false);
      if (error.code === "cancelled") {
        say(msg, IMPORT.stopped, "warning", "cancelled");
        path.focus();
      } else {
        const located = { ...error, field: error.field ?? (error.code === "file_unreadable" ? "path" : undefined) };
        (showErrors(form, [located], { general: msg }) ?? path).focus();
      }
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!busy) run(true);
  });
  commit.addEventListener("click", () => {
    if (!busy && checked && checked.path === path.value) run(false);
  });
  accept.addEventListener("change", updateCommit);
  const restart = () => {
    choices = null;
    confirm = false;
    if (!checked && !preview.firstChild) return;
    checked = null;
    preview.replaceChildren();
    updateCommit();
    hint.textContent = IMPORT.pathChanged;
  };
  path.addEventListener("input", restart);
  sheet.addEventListener("input", restart);
  browse.addEventListener("click", async () => {
    try {
      const picked = await call("pick_open_path", { title: IMPORT.browseTitle, filterName: IMPORT.browseFilter, extensions: ["xlsx", "xls", "csv", "txt", "tsv"], start: path.value });
      if (!picked) return path.focus();
      path.value = short(picked);
      path.dispatchEvent(new Event("input"));
      await run(true);
    } catch (error) {
      say(msg, error.message, "error", error.code);
    }
  });

  // The import template, saved where the officer says.
  const templatePath = h("input", { type: "text", autocomplete: "off", spellcheck: "false" });
  const templateMsg = message("template-message");
  const templateForm = h(
    "form",
    { id: "template-form", class: "subform", novalidate: true },
    h("h4", {}, IMPORT.templateHeading),
    h("p", { class: "muted small" }, IMPORT.templateLead),
    h("div", { class: "form-grid" }, pathField("template", IMPORT.templatePath, templatePath, h("button", { type: "submit", id: "template-save", class: "secondary" }, IMPORT.templateSave))),
    templateMsg,
  );
  templateForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const write = async (replace) => {
      try {
        const res = await call("export_file", { kind: "template", list: null, semicolon: false, path: templatePath.value, replace });
        showErrors(templateForm, [], { general: templateMsg });
        say(templateMsg, IMPORT.templateSaved(short(res.file)), "ok");
      } catch (error) {
        if (error.code === "file_exists") return askReplace(templateForm, templateMsg, error, () => write(true), templatePath);
        (showErrors(templateForm, [error], { general: templateMsg }) ?? templatePath).focus();
      }
    };
    await write(false);
  });

  const el = h("section", { class: "card wide", id: "import-section" }, h("h3", {}, IMPORT.heading), h("p", { class: "muted" }, IMPORT.lead), form, preview, templateForm);
  return {
    el,
    focus: () => path.focus(),
    ready: async () => {
      templatePath.value = short(await call("default_export_path", { kind: "template" }));
    },
  };
}

// A file of that name is already there: the officer says whether to replace it (nothing is written until
// they do), or changes the name.
function askReplace(form, msg, error, replace, pathInput) {
  showErrors(form, [], { general: msg });
  const yes = h("button", { type: "button", id: `${form.id}-replace` }, EXPORT.replace);
  const no = h("button", { type: "button", class: "secondary", id: `${form.id}-keep` }, EXPORT.keep);
  const box = h("div", { class: "subform confirm", id: `${form.id}-exists`, role: "alertdialog" }, h("p", { class: "strong" }, error.message), h("div", { class: "actions" }, yes, no));
  msg.className = "message warning";
  msg.dataset.code = error.code;
  msg.replaceChildren(box);
  yes.addEventListener("click", () => {
    say(msg, EXPORT.working, "");
    replace();
  });
  no.addEventListener("click", () => {
    say(msg, EXPORT.keptFile, "");
    pathInput.focus();
    pathInput.select();
  });
  no.focus();
}

function exportSection() {
  const kind = h("select", {}, Object.entries(EXPORT.kinds).map(([value, label]) => h("option", { value }, label)));
  const format = h("select", {}, Object.entries(EXPORT.formats).map(([value, label]) => h("option", { value }, label)));
  const list = h("select", {}, h("option", { value: "" }, EXPORT.listAll));
  const comma = h("input", { type: "radio", name: "export-delimiter", id: "export-comma", value: ",", checked: true });
  const semicolon = h("input", { type: "radio", name: "export-delimiter", id: "export-semicolon", value: ";" });
  const dest = h("input", { type: "text", autocomplete: "off", spellcheck: "false" });
  const browse = h("button", { type: "button", class: "secondary", id: "export-browse" }, EXPORT.browse);
  const submit = h("button", { type: "submit", id: "export-submit" }, EXPORT.submit);
  const msg = message("export-message");
  const form = h(
    "form",
    { id: "export-form", novalidate: true },
    h(
      "div",
      { class: "form-grid" },
      field("export", "kind", EXPORT.kind, kind),
      field("export", "format", EXPORT.format, format, { hint: EXPORT.formatHint }),
      field("export", "list", EXPORT.list, list, { hint: EXPORT.listOnlyPayouts }),
      h(
        "fieldset",
        { class: "plain field", id: "export-delimiter" },
        h("legend", {}, EXPORT.delimiter),
        h("label", { class: "radio" }, comma, " ", EXPORT.comma),
        h("label", { class: "radio" }, semicolon, " ", EXPORT.semicolon),
      ),
      pathField("export", EXPORT.path, dest, browse),
    ),
    h("p", { class: "muted small" }, EXPORT.delimiterHint),
    msg,
    submit,
  );
  // The path proposed for the chosen kind (a workbook, the core's default; .csv when CSV is chosen);
  // replaced when the kind or the format changes unless the officer typed one.
  let proposed = "";
  const withFormat = (path) => path.replace(/\.(xlsx|csv)$/i, `.${format.value}`);
  async function propose() {
    const path = withFormat(short(await call("default_export_path", { kind: kind.value })));
    if (!dest.value || dest.value === proposed) dest.value = path;
    proposed = path;
  }
  const csvOnly = () => {
    for (const el of [comma, semicolon]) el.disabled = format.value !== "csv";
  };
  format.addEventListener("change", () => {
    csvOnly();
    say(msg, "", "");
    if (dest.value === proposed) dest.value = withFormat(dest.value);
    proposed = withFormat(proposed);
  });
  csvOnly();
  kind.addEventListener("change", () => {
    list.disabled = kind.value !== "payouts";
    // What was said about the last report is not about this one.
    say(msg, "", "");
    showErrors(form, [], { general: msg });
    propose().catch((error) => say(msg, error.message, "error", error.code));
  });
  browse.addEventListener("click", async () => {
    try {
      const picked = await call("pick_save_path", { title: EXPORT.browseTitle, start: dest.value });
      if (picked) dest.value = short(picked);
      dest.focus();
    } catch (error) {
      say(msg, error.message, "error", error.code);
    }
  });
  async function write(replace) {
    submit.disabled = true;
    say(msg, EXPORT.working, "");
    try {
      const res = await call("export_file", { kind: kind.value, list: kind.value === "payouts" && list.value ? list.value : null, semicolon: semicolon.checked, path: dest.value, replace });
      showErrors(form, [], { general: msg });
      say(msg, EXPORT.done(fmt.number(res.rows), short(res.file)), "ok");
    } catch (error) {
      if (error.code === "file_exists") askReplace(form, msg, error, () => write(true), dest);
      else (showErrors(form, [error], { general: msg }) ?? dest).focus();
    } finally {
      submit.disabled = false;
    }
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    write(false);
  });
  const el = h("section", { class: "card wide", id: "export-section" }, h("h3", {}, EXPORT.heading), form);
  return {
    el,
    dest: () => dest.value,
    ready: async (lists) => {
      list.replaceChildren(h("option", { value: "" }, EXPORT.listAll), lists.map((l) => h("option", { value: l.id }, EXPORT.listLabel(l))));
      list.disabled = kind.value !== "payouts";
      await propose();
    },
  };
}

// The sheets of a list as the core prints them, in the app's print view (print or save as PDF from the
// system print dialog), and saved as an HTML file beside the export path on request.
function printSection(exportDest) {
  const list = h("select", {});
  const posting = h("button", { type: "button", class: "secondary", id: "print-posting" }, EXPORT.printPosting);
  const payout = h("button", { type: "button", class: "secondary", id: "print-payout" }, EXPORT.printPayout);
  const msg = message("print-message");
  let lists = [];

  async function open(kind) {
    const chosen = lists.find((l) => l.id === list.value);
    if (!chosen) return;
    try {
      const html = await call("sheet_html", { kind, list: chosen.id });
      const note = message("print-saved");
      note.classList.add("no-print");
      const save = h("button", { type: "button", class: "secondary", id: "print-save-html" }, EXPORT.saveHtml);
      save.addEventListener("click", async () => {
        try {
          const proposed = short(await call("default_export_path", { kind }));
          const dir = dirOf(exportDest()) || dirOf(proposed);
          const name = baseOf(proposed).replace(/\.html$/, `-${slug(chosen.name) || "ds"}.html`);
          const res = await call("save_sheet", { kind, list: chosen.id, path: `${dir}/${name}` });
          say(note, EXPORT.savedHtml(short(res.file)), "ok");
        } catch (error) {
          say(note, error.message, "error", error.code);
        }
      });
      openPrint(kind, coreSheet(html), { actions: [save], note });
    } catch (error) {
      say(msg, error.message, "error", error.code);
    }
  }
  posting.addEventListener("click", () => open("posting-list"));
  payout.addEventListener("click", () => open("payout-sheet"));
  const body = h("div", {});
  const el = h("section", { class: "card wide", id: "print-section" }, h("h3", {}, EXPORT.printHeading), h("p", { class: "muted" }, EXPORT.printLead), body, msg);
  return {
    el,
    ready: (all) => {
      lists = all.slice().reverse();
      if (!lists.length) return body.replaceChildren(h("p", { class: "muted", id: "print-none" }, EXPORT.printNone));
      list.replaceChildren(...lists.map((l) => h("option", { value: l.id }, EXPORT.listLabel(l))));
      body.replaceChildren(h("div", { class: "form-grid" }, field("print", "list", EXPORT.printList, list, { wide: true })), h("div", { class: "actions" }, posting, payout));
    },
  };
}

export function transfer() {
  const imp = importSection();
  const exp = exportSection();
  const print = printSection(exp.dest);
  return {
    el: h("div", {}, imp.el, exp.el, print.el),
    ready: async () => {
      imp.focus();
      home = (await call("app_info")).home;
      const lists = await call("lists");
      await Promise.all([imp.ready(), exp.ready(lists)]);
      print.ready(lists);
    },
    onNew: () => imp.focus(),
  };
}
