// The shell: top bar with the current operator, left navigation, the current screen, a status line,
// the first-start set-up, and the keyboard shortcuts.
import { call } from "./ipc.js";
import { h, field, put, showErrors } from "./dom.js";
import { APP, COMMON, OPERATOR_FORM, ROLES, SCREENS, SETUP } from "./strings.js";
import { demoSizeSelect, runDemo } from "./demo.js";
import { refreshStatus, setOperator, state } from "./state.js";
import { renderScreen } from "./screens.js";

const nav = document.getElementById("nav");
const main = document.getElementById("screen");
const footer = document.getElementById("status");
const operatorBox = document.getElementById("operator-box");
const subtitle = document.getElementById("app-subtitle");

document.title = APP.title;
document.getElementById("app-title").textContent = APP.title;
subtitle.textContent = APP.subtitle;
nav.setAttribute("aria-label", APP.navLabel);
nav.title = APP.shortcutHint;

const buttons = new Map();
nav.append(
  h(
    "ul",
    {},
    SCREENS.map((screen, index) => {
      const button = h(
        "button",
        { type: "button", id: `nav-${screen.id}`, "data-screen": screen.id, onclick: () => show(screen.id) },
        h("span", { class: "key", "aria-hidden": "true" }, String(index + 1)),
        h("span", { class: "label" }, screen.title),
      );
      buttons.set(screen.id, button);
      return h("li", {}, button);
    }),
  ),
);

let current = null; // { id, view } where view may have onNew() and focusSearch()

function show(id, params = {}, { focus = true } = {}) {
  const screen = SCREENS.find((s) => s.id === id) ?? SCREENS[0];
  for (const [screenId, button] of buttons) {
    if (screenId === screen.id) button.setAttribute("aria-current", "page");
    else button.removeAttribute("aria-current");
  }
  const view = renderScreen(screen, { go: show, params });
  main.replaceChildren(view.el);
  current = { id: screen.id, view };
  if (location.hash !== `#${screen.id}`) history.replaceState(null, "", `#${screen.id}`);
  if (focus) main.focus({ preventScroll: true });
  view.ready?.();
  return view;
}

function isTyping(target) {
  return target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

document.addEventListener("keydown", (event) => {
  if (!state.office || document.getElementById("print-view")) return;
  // Ctrl+F or "/" (outside a text field): search people.
  if ((event.ctrlKey && !event.altKey && event.key.toLowerCase() === "f") || (event.key === "/" && !isTyping(event.target) && !event.ctrlKey && !event.altKey)) {
    event.preventDefault();
    const view = current?.id === "beneficiaries" ? current.view : show("beneficiaries");
    view.focusSearch?.();
    return;
  }
  if (!event.altKey || event.ctrlKey || event.metaKey) return;
  // Alt+N: a new record on the current screen.
  if (event.key.toLowerCase() === "n") {
    event.preventDefault();
    if (current?.view.onNew) current.view.onNew();
    else show("beneficiaries").onNew?.();
    return;
  }
  // Alt + 1…9 opens the screen with that number in the navigation.
  const index = Number.parseInt(event.key, 10) - 1;
  if (index >= 0 && index < SCREENS.length) {
    event.preventDefault();
    show(SCREENS[index].id);
  }
});

// The current operator: who every write is recorded under (a shared office PC has no login).
function renderOperator({ note } = {}) {
  const hadFocus = document.activeElement?.id === "operator";
  const select = h(
    "select",
    { id: "operator", "aria-label": APP.operatorLabel },
    state.operators.map((o) => h("option", { value: o.name, selected: o.name === state.operator }, `${o.name} – ${ROLES[o.role] ?? o.role}`)),
    h("option", { value: "__add" }, APP.operatorAdd),
  );
  select.addEventListener("change", () => {
    if (select.value === "__add") {
      select.value = state.operator;
      openOperatorForm();
    } else {
      // What the previous operator just did is no longer news for the next one (message lines only; a
      // standing status such as "Đã phê duyệt" has no role and stays).
      for (const el of main.querySelectorAll(".message.ok[role]")) {
        el.textContent = "";
        el.className = "message";
      }
      setOperator(select.value);
    }
  });
  if (state.office)
    put(
      operatorBox,
      h("label", { for: "operator" }, APP.operatorLabel),
      select,
      note ? h("span", { class: "message ok", id: "operator-message", role: "status" }, note) : null,
    );
  else operatorBox.replaceChildren();
  if (hadFocus || note) select.focus();
  subtitle.textContent = state.office ? APP.officeLine(state.office) : APP.subtitle;
}

export function openOperatorForm() {
  document.getElementById("operator-dialog")?.remove();
  const name = h("input", { type: "text", autocomplete: "off", required: true });
  const role = h("select", {}, Object.entries(ROLES).map(([value, label]) => h("option", { value }, label)));
  const general = h("p", { class: "message", role: "alert" });
  const form = h(
    "form",
    { class: "card dialog-card" },
    h("h3", {}, OPERATOR_FORM.heading),
    h("div", { class: "form-grid" }, field("op", "name", OPERATOR_FORM.name, name), field("op", "role", OPERATOR_FORM.role, role)),
    general,
    h("div", { class: "actions" }, h("button", { type: "submit", id: "op-save" }, COMMON.save), h("button", { type: "button", class: "secondary", onclick: () => dialog.remove() }, COMMON.cancel)),
  );
  const dialog = h("div", { id: "operator-dialog", class: "overlay", role: "dialog", "aria-modal": "true" }, form);
  dialog.addEventListener("keydown", (e) => e.key === "Escape" && dialog.remove());
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!name.value.trim()) {
      name.focus();
      return showErrors(form, [{ field: "name", message: COMMON.required }], { general });
    }
    try {
      const added = name.value.trim();
      await call("set_operator", { name: added, role: role.value, actor: state.operator || added });
      // The person at the keyboard stays the current operator; the new one is only added.
      await refreshStatus();
      dialog.remove();
      renderOperator({ note: OPERATOR_FORM.added(added) });
    } catch (error) {
      showErrors(form, [error], { general });
    }
  });
  document.body.append(dialog);
  name.focus();
}

// First start: the office is not set up yet.
function renderSetup() {
  const input = (value = "") => h("input", { type: "text", autocomplete: "off", value });
  const inputs = { ward: input(), district: input(), city: input(SETUP.cityDefault), operator: input() };
  const demo = h("input", { type: "checkbox", id: "setup-demo" });
  const demoSize = demoSizeSelect("setup-demo-size");
  demoSize.disabled = true;
  demo.addEventListener("change", () => (demoSize.disabled = !demo.checked));
  const demoBox = h("div", { id: "setup-demo-box" });
  const general = h("p", { class: "message", id: "setup-message", role: "alert" });
  const submit = h("button", { type: "submit", id: "setup-submit" }, SETUP.submit);
  const form = h(
    "form",
    { class: "card setup", id: "setup-form" },
    h("h2", {}, SETUP.heading),
    h("p", { class: "muted" }, SETUP.lead),
    h(
      "div",
      { class: "form-grid" },
      field("setup", "ward", SETUP.ward, inputs.ward),
      field("setup", "district", SETUP.district, inputs.district),
      field("setup", "city", SETUP.city, inputs.city),
      field("setup", "operator", SETUP.operator, inputs.operator),
    ),
    h("label", { class: "check" }, demo, " ", SETUP.demo),
    h("div", { class: "field" }, h("label", { for: "setup-demo-size" }, SETUP.demoSize), demoSize),
    general,
    demoBox,
    submit,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const missing = Object.entries(inputs)
      .filter(([, el]) => !el.value.trim())
      .map(([name]) => ({ field: name, message: COMMON.required }));
    const first = showErrors(form, missing, { general });
    if (first) return first.focus();
    submit.disabled = true;
    general.className = "message";
    general.textContent = SETUP.working;
    const operator = inputs.operator.value.trim();
    try {
      const office = { ward: inputs.ward.value.trim(), district: inputs.district.value.trim(), city: inputs.city.value.trim() };
      await call("init_office", { office, operator, demo: false });
      setOperator(operator);
    } catch (error) {
      showErrors(form, [error], { general });
      submit.disabled = false;
      return;
    }
    if (!demo.checked) return start({ focus: true });
    // The office exists now; the demo load runs on the app's background thread with its progress here.
    general.textContent = "";
    for (const el of form.querySelectorAll("input, select")) el.disabled = true;
    submit.hidden = true;
    try {
      await runDemo(demoBox, Number(demoSize.value), operator);
    } catch {
      // The result line says what went wrong; the office is set up either way.
    }
    const go = h("button", { type: "button", id: "setup-continue", onclick: () => start({ focus: true }) }, SETUP.continue);
    demoBox.append(go);
    go.focus();
  });
  document.body.classList.add("setting-up");
  main.replaceChildren(h("article", { class: "screen", id: "screen-setup" }, form));
  inputs.ward.focus();
  markReady();
}

// The window is interactive: the benchmark and the e2e tests wait for this marker.
function markReady() {
  if (document.documentElement.dataset.ready) return;
  window.__readyAt = Date.now();
  document.documentElement.dataset.ready = "true";
}

// `focus`: set-up just finished, so the keyboard lands on the first screen, not on the page body.
async function start({ focus = false } = {}) {
  try {
    await refreshStatus();
  } catch (error) {
    main.replaceChildren(h("p", { class: "message error", id: "start-error", "data-code": error.code }, error.message));
    return;
  }
  renderOperator();
  if (!state.office) return renderSetup();
  document.body.classList.remove("setting-up");
  show(location.hash.slice(1), {}, { focus });
  markReady();
}

state.listeners.add(() => {
  if (operatorBox.isConnected) renderOperator();
});

start();

call("app_info")
  .then((info) => {
    footer.replaceChildren(
      h("span", { id: "app-version" }, APP.versionLine(info.name, info.version)),
      h("span", { id: "ledger-path", title: info.ledgerPath }, APP.ledgerLine(info.ledgerPathShort)),
    );
  })
  .catch((error) => {
    footer.replaceChildren(h("span", { class: "error", "data-code": error.code }, error.message));
  });
