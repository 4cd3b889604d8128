// Cài đặt: the office as printed (its names corrected by an admin until the first decision), backups (now
// and on a schedule) and an admin's restore, the signed-in operator's own password, the operators (an
// admin adds them with a first password, resets a password, changes a role), the rule pack, the ledger
// file, this build (version, build date, shipped pack) and demo data.
import { call, requireSignIn } from "../ipc.js";
import { h, field, showErrors, message, say, put } from "../dom.js";
import { table } from "../table.js";
import { BACKUP, COMMON, DEMO, MY_ACCOUNT, PASSWORD, RESTORE, ROLES, SETTINGS, SETUP, USERS } from "../strings.js";
import { applyStatus, can, refreshStatus, state, whoAmI } from "../state.js";
import { officePreview } from "../office.js";
import { draft } from "../draft.js";
import { demoSizeSelect, runDemo } from "../demo.js";
import * as fmt from "../format.js";

// A password typed twice, as on the set-up screen.
function passwordFields(prefix, label) {
  const secret = h("input", { type: "password", autocomplete: "new-password" });
  const secret2 = h("input", { type: "password", autocomplete: "new-password" });
  return {
    secret,
    fields: [field(prefix, "secret", label, secret, { hint: PASSWORD.hint }), field(prefix, "secret2", PASSWORD.secret2, secret2)],
    errors: () => (!secret.value ? [{ field: "secret", message: COMMON.required }] : secret.value !== secret2.value ? [{ field: "secret2", message: PASSWORD.mismatch }] : []),
    clear: () => {
      secret.value = "";
      secret2.value = "";
    },
  };
}

const roleSelect = () => h("select", {}, Object.entries(ROLES).map(([value, label]) => h("option", { value }, label)));

// A form that submits to `run()`, shows the app's refusal at its field or in its message line, and says
// what was done.
function subform(id, heading, lead, fields, submitLabel, run) {
  const msg = message(`${id}-message`);
  const submit = h("button", { type: "submit", id: `${id}-submit` }, submitLabel);
  const form = h("form", { id, class: "subform", novalidate: true }, h("h4", {}, heading), lead ? h("p", { class: "muted small" }, lead) : null, h("div", { class: "form-grid" }, fields), msg, submit);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    submit.disabled = true;
    try {
      const done = await run((errors) => showErrors(form, errors, { general: msg }));
      if (done) {
        showErrors(form, [], { general: msg });
        say(msg, done, "ok");
      }
    } catch (error) {
      showErrors(form, [error], { general: msg })?.focus();
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

// Paths under the home folder are shown as ~/… (as on the import screen).
let home = null;
const short = (path) => (home && path && path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path ?? "");

// A path input with its dialog button beside it.
function pathField(prefix, name, label, input, button, hint) {
  const wrap = field(prefix, name, label, input, { wide: true, hint });
  const row = h("div", { class: "path-row" });
  input.replaceWith(row);
  row.append(input, button);
  return wrap;
}

// A chain head `{seq, hash}` as the CLI prints it.
export const headText = (head) => (head ? `${head.seq}:${head.hash}` : "");

// Sao lưu: the folder, "Sao lưu ngay", the last backup, and the schedule (an admin sets it).
function backupSection() {
  const folder = h("input", { type: "text", autocomplete: "off", spellcheck: "false" });
  const browse = h("button", { type: "button", id: "backup-browse", class: "secondary" }, BACKUP.browse);
  const now = h("button", { type: "submit", id: "backup-now" }, BACKUP.now);
  const msg = message("backup-message");
  const form = h("form", { id: "backup-form", novalidate: true }, h("div", { class: "form-grid" }, pathField("backup", "folder", BACKUP.folder, folder, browse, BACKUP.folderHint)), h("div", { class: "toolbar" }, now), msg);
  const last = h("div", { id: "backup-last" });

  const every = h("select", { id: "backup-every" });
  const saveSchedule = h("button", { type: "button", id: "backup-schedule-save", class: "secondary" }, BACKUP.save);
  const next = h("p", { id: "backup-next", class: "muted" });
  const scheduleMsg = message("backup-schedule-message");
  const note = can("admin") ? null : h("p", { class: "warning-text role-note", id: "backup-admin-only" }, BACKUP.adminOnly(...whoAmI()));
  if (!can("admin")) {
    every.disabled = true;
    saveSchedule.disabled = true;
    saveSchedule.title = BACKUP.adminOnly(...whoAmI());
  }

  function drawLast(b) {
    const l = b.last;
    if (!l) return put(last, h("p", { class: "muted" }, BACKUP.none));
    const rows = [
      [BACKUP.at, BACKUP.atLine(fmt.dateTime(l.at), l.by, l.scheduled)],
      [BACKUP.result, l.ok ? h("span", { class: "ok-text" }, BACKUP.ok) : h("span", { class: "error-text" }, BACKUP.failed(l.error ?? ""))],
    ];
    if (l.ok) {
      rows.push(
        [BACKUP.file, h("code", { id: "backup-last-file", class: "path" }, short(l.file))],
        [BACKUP.holds, BACKUP.holdsLine(fmt.number(l.people), fmt.number(l.claims), fmt.number(l.payouts), fmt.money(l.payoutsAmount))],
        [BACKUP.head, h("code", { id: "backup-last-head", class: "head" }, l.head)],
      );
    } else {
      rows.push([BACKUP.file, h("code", { class: "path" }, short(l.folder))]);
    }
    put(last, h("h4", {}, BACKUP.lastHeading), h("dl", { class: "pairs", id: "backup-last-facts", "data-ok": String(l.ok) }, rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])));
  }

  function draw(b) {
    if (!folder.value) folder.value = short(b.folder ?? (b.last?.folder || ""));
    every.replaceChildren(...b.choices.map((n) => h("option", { value: String(n) }, BACKUP.choice(n))));
    every.value = String(b.everyHours);
    if (b.waitingSince) next.textContent = BACKUP.waiting(fmt.dateTime(b.waitingSince));
    else if (b.everyHours && b.nextDue) next.textContent = BACKUP.next(fmt.dateTime(b.nextDue), short(b.folder));
    else next.textContent = BACKUP.off;
    next.dataset.state = b.waitingSince ? "waiting" : b.everyHours ? "on" : "off";
    drawLast(b);
  }

  async function load() {
    try {
      draw(await call("backup_status"));
    } catch (error) {
      say(msg, error.message, "error", error.code);
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    now.disabled = true;
    showErrors(form, [], { general: msg });
    say(msg, BACKUP.working, "");
    try {
      const r = await call("backup_now", { folder: folder.value });
      say(msg, BACKUP.done(short(r.done.file)), "ok");
      draw(r.status);
    } catch (error) {
      (showErrors(form, [error], { general: msg }) ?? folder).focus();
      if (error.field === "folder") say(msg, "", "");
      await load();
    } finally {
      now.disabled = false;
    }
  });
  browse.addEventListener("click", async () => {
    try {
      const picked = await call("pick_folder", { title: BACKUP.browseTitle, start: folder.value });
      if (!picked) return folder.focus();
      folder.value = short(picked);
      now.focus();
    } catch (error) {
      say(msg, error.message, "error", error.code);
    }
  });
  saveSchedule.addEventListener("click", async () => {
    saveSchedule.disabled = true;
    showErrors(form, [], { general: scheduleMsg });
    try {
      const b = await call("set_backup_schedule", { folder: folder.value, everyHours: Number(every.value) });
      draw(b);
      say(scheduleMsg, BACKUP.saved(b.everyHours), "ok");
    } catch (error) {
      const at = showErrors(form, [error], { general: scheduleMsg });
      if (at) {
        say(scheduleMsg, error.message, "error", error.code);
        at.focus();
      }
    } finally {
      saveSchedule.disabled = !can("admin");
    }
  });

  const el = h(
    "section",
    { class: "card wide", id: "settings-backup" },
    h("h3", {}, BACKUP.heading),
    h("p", { class: "muted" }, BACKUP.lead),
    form,
    last,
    h(
      "div",
      { class: "subform", id: "backup-schedule" },
      h("h4", {}, BACKUP.scheduleHeading),
      h("p", { class: "muted small" }, BACKUP.scheduleLead),
      h("div", { class: "toolbar" }, h("label", { for: "backup-every" }, BACKUP.every), every, saveSchedule),
      note,
      next,
      scheduleMsg,
    ),
  );
  return { el, load };
}

// "KHÔI PHỤC" however it is typed: with or without tone marks, any case.
const folded = (text) =>
  text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[\u0111\u0110]/g, "d") // đ Đ
    .replace(/\s+/g, " ")
    .trim()
    .toUpperCase();

// Khôi phục (an admin): a backup file, its preview, a typed confirmation, then the restore, after which
// everyone signs in again.
function restoreSection() {
  if (!can("admin")) {
    return h("section", { class: "card wide", id: "settings-restore" }, h("h3", {}, RESTORE.heading), h("p", { class: "muted" }, RESTORE.lead), h("p", { class: "warning-text role-note", id: "restore-admin-only" }, RESTORE.adminOnly(...whoAmI())));
  }
  const path = h("input", { type: "text", autocomplete: "off", spellcheck: "false" });
  const browse = h("button", { type: "button", id: "restore-browse", class: "secondary" }, RESTORE.browse);
  const previewButton = h("button", { type: "submit", id: "restore-preview-button", class: "secondary" }, RESTORE.preview);
  const msg = message("restore-message");
  const form = h("form", { id: "restore-form", novalidate: true }, h("div", { class: "form-grid" }, pathField("restore", "path", RESTORE.path, path, browse)), h("div", { class: "toolbar" }, previewButton), msg);
  const box = h("div", { id: "restore-preview" });
  let shown = null;

  function drawPreview(p) {
    const facts = [
      [RESTORE.office, p.office_line],
      [RESTORE.people, fmt.number(p.people)],
      [RESTORE.claims, fmt.number(p.claims)],
      [RESTORE.payouts, fmt.number(p.payouts)],
      [RESTORE.amount, fmt.money(p.payouts_amount)],
      [RESTORE.lastChange, p.last_change ?? COMMON.none],
      [RESTORE.head, h("code", { class: "head", id: "restore-head" }, headText(p.head))],
      [RESTORE.size, RESTORE.sizeLine(p.bytes)],
    ];
    const dl = h("dl", { class: "pairs", id: "restore-facts" }, facts.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
    if (p.problems.length) {
      return put(box, h("h4", {}, RESTORE.previewHeading), dl, h("p", { class: "message error", id: "restore-unsound" }, RESTORE.problems(p.problems.length)), h("ul", { class: "problems", id: "restore-problems" }, p.problems.map((t) => h("li", {}, t))));
    }
    const confirm = h("input", { type: "text", autocomplete: "off", spellcheck: "false", id: "restore-confirm", placeholder: RESTORE.word });
    const run = h("button", { type: "button", id: "restore-run", class: "danger", disabled: true }, RESTORE.run);
    const runMsg = message("restore-run-message");
    confirm.addEventListener("input", () => (run.disabled = folded(confirm.value) !== folded(RESTORE.word)));
    // Enter never restores: the second step is the button itself, clicked on purpose.
    confirm.addEventListener("keydown", (event) => {
      if (event.key === "Enter") event.preventDefault();
    });
    run.addEventListener("click", async () => {
      if (folded(confirm.value) !== folded(RESTORE.word) || !shown) return;
      run.disabled = true;
      confirm.disabled = true;
      say(runMsg, RESTORE.running, "");
      try {
        const r = await call("restore_backup", { path: shown.path, head: headText(shown.head) });
        requireSignIn({ message: RESTORE.done(short(r.done.restored_from), short(r.done.previous_kept_at)), code: "restored" }, "ok");
      } catch (error) {
        if (error.code === "sign_in_required") return;
        say(runMsg, error.message, "error", error.code);
        confirm.disabled = false;
        run.disabled = folded(confirm.value) !== folded(RESTORE.word);
      }
    });
    put(
      box,
      h("h4", {}, RESTORE.previewHeading),
      dl,
      h("p", { class: "message ok", id: "restore-sound" }, RESTORE.sound),
      h("div", { class: "confirm-box" }, h("div", { class: "field" }, h("label", { for: "restore-confirm" }, RESTORE.confirm), confirm, h("small", { class: "muted" }, RESTORE.confirmHint)), run),
      runMsg,
    );
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    shown = null;
    box.replaceChildren();
    previewButton.disabled = true;
    showErrors(form, [], { general: msg });
    say(msg, RESTORE.previewing, "");
    try {
      shown = await call("backup_preview", { path: path.value });
      say(msg, "", "");
      drawPreview(shown);
    } catch (error) {
      say(msg, "", "");
      (showErrors(form, [error], { general: msg }) ?? path).focus();
    } finally {
      previewButton.disabled = false;
    }
  });
  path.addEventListener("input", () => {
    if (!shown) return;
    shown = null;
    box.replaceChildren();
    say(msg, RESTORE.pathChanged, "");
  });
  browse.addEventListener("click", async () => {
    try {
      const picked = await call("pick_open_path", { title: RESTORE.browseTitle, filterName: RESTORE.browseFilter, extensions: ["sqlite", "db"], start: path.value || "" });
      if (!picked) return path.focus();
      path.value = short(picked);
      path.dispatchEvent(new Event("input"));
      form.requestSubmit();
    } catch (error) {
      say(msg, error.message, "error", error.code);
    }
  });
  return h("section", { class: "card wide", id: "settings-restore" }, h("h3", {}, RESTORE.heading), h("p", { class: "muted" }, RESTORE.lead), form, box);
}

// The signed-in operator's own password.
function myAccount() {
  const s = state.session;
  const current = h("input", { type: "password", autocomplete: "current-password" });
  const fresh = passwordFields("my-password", MY_ACCOUNT.fresh);
  const form = subform("my-password", MY_ACCOUNT.submit, null, [field("my-password", "current", MY_ACCOUNT.current, current), ...fresh.fields], MY_ACCOUNT.submit, async (show) => {
    const errors = [...(current.value ? [] : [{ field: "current", message: COMMON.required }]), ...fresh.errors()];
    if (errors.length) return void show(errors)?.focus();
    try {
      await call("change_password", { current: current.value, new: fresh.secret.value });
    } catch (error) {
      throw error.field === "new" ? { ...error, field: "secret" } : error;
    } finally {
      current.value = "";
      fresh.clear();
    }
    return MY_ACCOUNT.done;
  });
  return h("section", { class: "card wide", id: "settings-account" }, h("h3", {}, MY_ACCOUNT.heading), h("p", { id: "settings-account-who" }, MY_ACCOUNT.who(s?.name ?? "", ROLES[s?.role] ?? s?.role ?? "")), form);
}

// The operators; an admin's forms to add one, reset a password, change a role.
function users() {
  const box = h("div", { id: "settings-operators" });
  const others = () => state.operators.filter((o) => o.name !== state.session?.name);
  const pickers = [];
  const picker = () => {
    const select = h("select", {});
    pickers.push(select);
    return select;
  };
  function draw() {
    box.replaceChildren(
      table(
        "operators-table",
        [
          { label: USERS.colName, cell: (o) => [o.name, o.name === state.session?.name ? [" ", h("span", { class: "muted" }, USERS.you)] : null] },
          { label: USERS.colRole, cell: (o) => ROLES[o.role] ?? o.role },
          { label: USERS.colPassword, cell: (o) => (o.has_password ? USERS.hasPassword : USERS.noPassword) },
          { label: USERS.colState, cell: (o) => (o.locked_until ? h("span", { class: "warning-text" }, USERS.locked(o.locked_until)) : USERS.active) },
        ],
        state.operators,
        { rowAttrs: (o) => ({ "data-name": o.name, "data-locked": o.locked_until ? "true" : null }) },
      ),
    );
    for (const select of pickers) {
      const was = select.value;
      select.replaceChildren(h("option", { value: "" }, USERS.pick), ...others().map((o) => h("option", { value: o.name, selected: o.name === was }, `${o.name} – ${ROLES[o.role] ?? o.role}`)));
    }
  }
  async function reload(operators) {
    if (operators) state.operators = operators;
    else await refreshStatus();
    draw();
  }

  if (!can("admin")) {
    draw();
    return { el: h("section", { class: "card wide", id: "settings-users" }, h("h3", {}, USERS.heading), box, h("p", { class: "muted", id: "settings-admin-only" }, USERS.adminOnly)), focus: () => {} };
  }

  // Add an operator with a role and a first password.
  const name = h("input", { type: "text", autocomplete: "off" });
  const role = roleSelect();
  const first = passwordFields("settings-op", USERS.secret);
  const add = subform("settings-op", USERS.addHeading, null, [field("settings-op", "name", USERS.name, name), field("settings-op", "role", USERS.role, role), ...first.fields], USERS.add, async (show) => {
    const errors = [...(name.value.trim() ? [] : [{ field: "name", message: COMMON.required }]), ...first.errors()];
    if (errors.length) return void show(errors)?.focus();
    const n = name.value.trim();
    await reload(await call("add_operator", { name: n, role: role.value, secret: first.secret.value }));
    const added = USERS.added(n, ROLES[role.value]);
    await addDraft.saved();
    first.clear();
    name.value = "";
    role.value = "officer";
    name.focus();
    return added;
  });

  // The name and role typed are kept as a draft; the password never is.
  const addDraft = draft("operator-add", {
    collect: () => ({ name: name.value, role: role.value === "officer" ? "" : role.value }),
    restore: (f) => {
      name.value = f.name ?? "";
      if (f.role) role.value = f.role;
    },
    onDiscard: () => {
      name.value = "";
      role.value = "officer";
      name.focus();
    },
  });
  add.insertBefore(addDraft.marker, add.querySelector(".form-grid"));
  addDraft.restore();
  name.addEventListener("input", () => addDraft.changed());
  role.addEventListener("change", () => addDraft.changed());

  // Reset someone's password (which unlocks them).
  const resetWho = picker();
  const fresh = passwordFields("settings-reset", USERS.resetSecret);
  const reset = subform("settings-reset", USERS.resetHeading, USERS.resetLead, [field("settings-reset", "name", USERS.who, resetWho), ...fresh.fields], USERS.reset, async (show) => {
    const errors = [...(resetWho.value ? [] : [{ field: "name", message: COMMON.required }]), ...fresh.errors()];
    if (errors.length) return void show(errors)?.focus();
    const n = resetWho.value;
    await reload(await call("reset_password", { name: n, secret: fresh.secret.value }));
    fresh.clear();
    return USERS.resetDone(n);
  });

  // Change someone's role (never one's own: the app refuses it).
  const roleWho = picker();
  const newRole = roleSelect();
  roleWho.addEventListener("change", () => {
    const o = state.operators.find((x) => x.name === roleWho.value);
    if (o) newRole.value = o.role;
  });
  const changeRole = subform("settings-role", USERS.roleHeading, null, [field("settings-role", "name", USERS.who, roleWho), field("settings-role", "role", USERS.roleNew, newRole)], USERS.roleSubmit, async (show) => {
    if (!roleWho.value) return void show([{ field: "name", message: COMMON.required }])?.focus();
    const n = roleWho.value;
    await reload(await call("set_operator", { name: n, role: newRole.value }));
    return USERS.roleDone(n, ROLES[newRole.value]);
  });

  draw();
  return {
    el: h("section", { class: "card wide", id: "settings-users" }, h("h3", {}, USERS.heading), box, add, h("div", { class: "subforms" }, reset, changeRole)),
    focus: () => name.focus(),
  };
}

// Demo data for an office that has no one registered yet, with progress and "Dừng".
function demoSection() {
  const size = demoSizeSelect("demo-size");
  const start = h("button", { type: "button", id: "demo-start" }, DEMO.start);
  const box = h("div", { id: "demo-box" });
  const note = h("p", { class: "muted", id: "demo-note" });
  const controls = h("div", { class: "toolbar", id: "demo-controls" }, h("label", { for: "demo-size" }, DEMO.size), size, start);
  start.addEventListener("click", async () => {
    start.disabled = true;
    size.disabled = true;
    try {
      await runDemo(box, Number(size.value));
    } catch {
      // The result line says why.
    }
    await check();
  });
  async function check() {
    try {
      const page = await call("people_page", { offset: 0 });
      if (page.total > 0) {
        note.textContent = DEMO.notEmpty(fmt.number(page.total));
        controls.hidden = true;
      } else {
        controls.hidden = false;
        start.disabled = false;
        size.disabled = false;
      }
    } catch (error) {
      note.textContent = error.message;
    }
  }
  const el = h("section", { class: "card wide", id: "demo-section" }, h("h3", {}, DEMO.heading), h("p", { class: "muted" }, DEMO.lead), note, controls, box);
  return { el, check };
}

// The office as it is printed; an admin corrects its names (a ward typed with its "Phường") until the first
// list is approved, seeing the printed heading change as they type.
function officeSection(ledger) {
  const names = state.names;
  const shown = h(
    "dl",
    { class: "pairs", id: "settings-office" },
    h("dt", {}, SETTINGS.printedAs),
    h("dd", { id: "settings-office-heading" }, names ? [names.heading[0], h("br"), names.heading[1]] : ""),
    h("dt", {}, SETTINGS.shownAs),
    h("dd", { id: "settings-office-line" }, names?.line ?? ""),
    h("dt", {}, SETTINGS.ledger),
    ledger,
  );
  let form = null;
  if (can("admin") && state.officeCorrectable) {
    const o = names?.office ?? state.office ?? {};
    const inputs = {
      ward: h("input", { type: "text", autocomplete: "off", value: o.ward ?? "" }),
      district: h("input", { type: "text", autocomplete: "off", value: o.district ?? "" }),
      city: h("input", { type: "text", autocomplete: "off", value: o.city ?? "" }),
    };
    const preview = officePreview("settings-office-preview", () => ({ ward: inputs.ward.value, district: inputs.district.value, city: inputs.city.value }));
    for (const el of Object.values(inputs)) el.addEventListener("input", preview.update);
    form = subform(
      "settings-office-form",
      SETTINGS.correctHeading,
      SETTINGS.correctLead,
      [
        field("settings-office-form", "ward", SETUP.ward, inputs.ward, { hint: SETUP.wardHint }),
        field("settings-office-form", "district", SETUP.district, inputs.district, { hint: SETUP.districtHint }),
        field("settings-office-form", "city", SETUP.city, inputs.city),
        preview.el,
      ],
      SETTINGS.correctSubmit,
      async () => {
        const office = { ward: inputs.ward.value, district: inputs.district.value, city: inputs.city.value };
        applyStatus(await call("correct_office", { office }));
        const n = state.names;
        shown.querySelector("#settings-office-heading").replaceChildren(n.heading[0], h("br"), n.heading[1]);
        shown.querySelector("#settings-office-line").textContent = n.line;
        for (const [k, el] of Object.entries(inputs)) el.value = n.office[k];
        return SETTINGS.corrected(n.line);
      },
    );
  }
  return h(
    "section",
    { class: "card wide", id: "settings-office-card" },
    h("h3", {}, SETTINGS.office),
    shown,
    form ?? (can("admin") ? h("p", { class: "muted small", id: "settings-office-locked" }, SETTINGS.officeLocked) : null),
  );
}

export function settings() {
  const account = myAccount();
  const people = users();
  const demo = demoSection();
  const backup = backupSection();
  const ledger = h("dd", { id: "settings-ledger" });
  // This build (the core's answer, as `relief --version` prints it), filled in from app_info.
  const build = { version: h("dd", { id: "settings-build-version" }), date: h("dd", { id: "settings-build-date" }), pack: h("dd", { id: "settings-build-pack" }) };
  const pack = state.pack ?? {};
  return {
    el: h(
      "div",
      {},
      officeSection(ledger),
      backup.el,
      restoreSection(),
      account,
      people.el,
      h(
        "section",
        { class: "card wide" },
        h("h3", {}, SETTINGS.pack),
        h("dl", { class: "pairs", id: "settings-pack" }, h("dt", {}, SETTINGS.packId), h("dd", {}, pack.id ?? ""), h("dt", {}, SETTINGS.packVersion), h("dd", { id: "settings-pack-version" }, pack.version ?? ""), h("dt", {}, SETTINGS.packTitle), h("dd", {}, pack.title ?? "")),
      ),
      h(
        "section",
        { class: "card wide" },
        h("h3", {}, SETTINGS.build),
        h("dl", { class: "pairs", id: "settings-build" }, h("dt", {}, SETTINGS.buildVersion), build.version, h("dt", {}, SETTINGS.buildDate), build.date, h("dt", {}, SETTINGS.buildPack), build.pack),
      ),
      can("record") ? demo.el : null,
    ),
    ready: () => {
      demo.check();
      call("app_info")
        .then((info) => {
          ledger.textContent = info.ledgerPath;
          home = info.home ?? null;
          build.version.textContent = info.build.version;
          build.date.textContent = fmt.date(info.build.build_date);
          build.pack.textContent = SETTINGS.buildPackLine(info.build.pack_id, info.build.pack_version);
        })
        .catch(() => {})
        .finally(() => backup.load());
    },
    onNew: () => people.focus(),
  };
}
