// Cài đặt: the office, its operators (add one here or from the header), the rule pack, the ledger file,
// and the check that Vietnamese text survives the trip to the app and back.
import { call } from "../ipc.js";
import { h, field, showErrors, message, say } from "../dom.js";
import { table } from "../table.js";
import { COMMON, DEMO, IPC_CHECK, OPERATOR_FORM, ROLES, SETTINGS } from "../strings.js";
import { refreshStatus, state } from "../state.js";
import { demoSizeSelect, runDemo } from "../demo.js";
import * as fmt from "../format.js";

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
      await runDemo(box, Number(size.value), state.operator);
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

export function settings({ go }) {
  const o = state.office;
  const operators = h("div", { id: "settings-operators" });
  const drawOperators = () =>
    operators.replaceChildren(table("operators-table", [{ label: SETTINGS.colName, cell: (x) => x.name }, { label: SETTINGS.colRole, cell: (x) => ROLES[x.role] ?? x.role }], state.operators));
  drawOperators();

  const name = h("input", { type: "text", autocomplete: "off" });
  const role = h("select", {}, Object.entries(ROLES).map(([value, label]) => h("option", { value }, label)));
  const msg = message("settings-operator-message");
  const form = h(
    "form",
    { id: "settings-operator-form", class: "subform", novalidate: true },
    h("h4", {}, OPERATOR_FORM.heading),
    h("div", { class: "form-grid" }, field("settings-op", "name", OPERATOR_FORM.name, name), field("settings-op", "role", OPERATOR_FORM.role, role)),
    msg,
    h("button", { type: "submit", id: "settings-operator-save" }, OPERATOR_FORM.submit),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const n = name.value.trim();
    if (!n) return showErrors(form, [{ field: "name", message: COMMON.required }], { general: msg })?.focus();
    try {
      await call("set_operator", { name: n, role: role.value, actor: state.operator || n });
      await refreshStatus();
      drawOperators();
      showErrors(form, [], { general: msg });
      say(msg, OPERATOR_FORM.added(n), "ok");
      name.value = "";
    } catch (error) {
      showErrors(form, [error], { general: msg });
    }
  });

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
      h("section", { class: "card wide" }, h("h3", {}, SETTINGS.operators), operators, form),
      h(
        "section",
        { class: "card wide" },
        h("h3", {}, SETTINGS.pack),
        h("dl", { class: "pairs", id: "settings-pack" }, h("dt", {}, SETTINGS.packId), h("dd", {}, pack.id ?? ""), h("dt", {}, SETTINGS.packVersion), h("dd", { id: "settings-pack-version" }, pack.version ?? ""), h("dt", {}, SETTINGS.packTitle), h("dd", {}, pack.title ?? "")),
      ),
      demo.el,
      ipc.el,
    ),
    ready: () => {
      ipc.run();
      demo.check();
      call("app_info").then((info) => (ledger.textContent = info.ledgerPath)).catch(() => {});
    },
    onNew: () => name.focus(),
  };
}
