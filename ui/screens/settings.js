// Cài đặt: the office, the signed-in operator's own password, the operators (an admin adds them with a
// first password, resets a password, changes a role), the rule pack, the ledger file, demo data, and
// the check that Vietnamese text survives the trip to the app and back.
import { call } from "../ipc.js";
import { h, field, showErrors, message, say } from "../dom.js";
import { table } from "../table.js";
import { COMMON, DEMO, IPC_CHECK, MY_ACCOUNT, PASSWORD, ROLES, SETTINGS, USERS } from "../strings.js";
import { can, refreshStatus, state } from "../state.js";
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
    first.clear();
    name.value = "";
    role.value = "officer";
    name.focus();
    return added;
  });

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

function ipcCheck() {
  const received = h("output", { id: "ipc-received", class: "sample" });
  const status = h("p", { id: "ipc-status", class: "status", role: "status" });
  const button = h("button", { id: "ipc-run", type: "button" }, IPC_CHECK.button);

  async function run() {
    button.disabled = true;
    received.textContent = "";
    status.textContent = IPC_CHECK.running;
    status.dataset.state = "running";
    try {
      const text = await call("echo_text", { text: IPC_CHECK.sample });
      received.textContent = text;
      const same = text === IPC_CHECK.sample;
      status.textContent = same ? IPC_CHECK.ok : IPC_CHECK.mismatch;
      status.dataset.state = same ? "ok" : "error";
    } catch (error) {
      status.textContent = IPC_CHECK.failed(error.message);
      status.dataset.state = "error";
    } finally {
      button.disabled = false;
    }
  }
  button.addEventListener("click", run);

  const el = h(
    "section",
    { class: "card", id: "ipc-check", "aria-labelledby": "ipc-heading" },
    h("h3", { id: "ipc-heading" }, IPC_CHECK.heading),
    h("p", { class: "muted" }, IPC_CHECK.explain),
    h(
      "dl",
      { class: "pairs" },
      h("dt", {}, IPC_CHECK.sentLabel),
      h("dd", {}, h("span", { id: "ipc-sent", class: "sample" }, IPC_CHECK.sample)),
      h("dt", {}, IPC_CHECK.receivedLabel),
      h("dd", {}, received),
    ),
    status,
    button,
  );
  return { el, run };
}

export function settings() {
  const o = state.office;
  const account = myAccount();
  const people = users();
  const ipc = ipcCheck();
  const demo = demoSection();
  const ledger = h("dd", { id: "settings-ledger" });
  const pack = state.pack ?? {};
  return {
    el: h(
      "div",
      {},
      h(
        "section",
        { class: "card wide" },
        h("h3", {}, SETTINGS.office),
        h("dl", { class: "pairs", id: "settings-office" }, h("dt", {}, SETTINGS.ward), h("dd", {}, o?.ward ?? ""), h("dt", {}, SETTINGS.district), h("dd", {}, o?.district ?? ""), h("dt", {}, SETTINGS.city), h("dd", {}, o?.city ?? ""), h("dt", {}, SETTINGS.ledger), ledger),
      ),
      account,
      people.el,
      h(
        "section",
        { class: "card wide" },
        h("h3", {}, SETTINGS.pack),
        h("dl", { class: "pairs", id: "settings-pack" }, h("dt", {}, SETTINGS.packId), h("dd", {}, pack.id ?? ""), h("dt", {}, SETTINGS.packVersion), h("dd", { id: "settings-pack-version" }, pack.version ?? ""), h("dt", {}, SETTINGS.packTitle), h("dd", {}, pack.title ?? "")),
      ),
      can("record") ? demo.el : null,
      ipc.el,
    ),
    ready: () => {
      ipc.run();
      demo.check();
      call("app_info").then((info) => (ledger.textContent = info.ledgerPath)).catch(() => {});
    },
    onNew: () => people.focus(),
  };
}
