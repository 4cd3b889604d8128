// The shell: top bar with the signed-in operator and "Đăng xuất", left navigation, the current screen, a
// status line; the first-start set-up, the sign-in screen (and an old ledger's first password), the idle
// sign-out, and the keyboard shortcuts.
import { call, whenSignInRequired } from "./ipc.js";
import { h, field, put, say, showErrors } from "./dom.js";
import { APP, COMMON, FIRST_PASSWORD, PASSWORD, ROLES, SCREENS, SETUP, SIGN_IN, fillVocabulary } from "./strings.js";
import { demoSizeSelect, runDemo } from "./demo.js";
import { officePreview } from "./office.js";
import { flushDrafts, forgetDrafts, loadDrafts } from "./draft.js";
import { applyStatus, forgetSession, refreshStatus, state } from "./state.js";
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
  // What was typed a moment ago is kept before the form it was typed in goes away.
  flushDrafts();
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
  if (!state.office || !state.session || document.getElementById("print-view")) return;
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

// Who is signed in, and the way out. The app records every write under this operator; the page never
// says who acts.
function renderSession() {
  subtitle.textContent = state.names ? state.names.line : APP.subtitle;
  const s = state.session;
  if (!s) return operatorBox.replaceChildren();
  put(
    operatorBox,
    h("span", { class: "session", id: "session", title: APP.sessionLabel }, h("strong", { id: "session-user" }, s.name), " · ", h("span", { id: "session-role" }, ROLES[s.role] ?? s.role)),
    h("button", { type: "button", id: "sign-out", class: "on-brand", title: APP.signOutTitle, onclick: signOut }, APP.signOut),
  );
}

async function signOut() {
  const name = state.session?.name ?? "";
  // What was typed a moment ago is kept for this operator's next sign-in.
  await flushDrafts();
  try {
    await call("sign_out");
  } catch {
    // Signed out in the app either way; the next sign-in starts afresh.
  }
  signedOut({ message: SIGN_IN.signedOut(name) }, "ok");
}

// Signed out (on demand, after the idle time, or refused as signed out): nothing of the last operator's
// screen stays on show, and the sign-in screen says why.
function signedOut(error, kind = "warning") {
  clearInterval(idleTimer);
  idleTimer = null;
  const signIn = document.getElementById("sign-in-form");
  if (signIn && !state.session) {
    if (error?.message) say(document.getElementById("sign-in-message"), error.message, kind, error.code ?? "");
    return;
  }
  forgetSession();
  forgetDrafts();
  for (const el of document.querySelectorAll("#print-view, .overlay")) el.remove();
  current = null;
  renderSession();
  if (!state.office) return start();
  renderSignIn({ note: error?.message, kind, code: error?.code });
}
whenSignInRequired((error, kind) => signedOut(error, kind));

// The app signs an idle operator out when their next command comes; the UI also asks every so often, so
// an unattended screen does not stay open on someone's name.
let idleTimer = null;
function watchIdle() {
  clearInterval(idleTimer);
  if (!state.session) return;
  const every = Math.min(30_000, Math.max(1_000, (state.session.idleSeconds * 1000) / 4));
  idleTimer = setInterval(async () => {
    try {
      if (!(await call("session_status"))) signedOut(null);
    } catch {
      // sign_in_required has already brought the sign-in screen, with why.
    }
  }, every);
}

// A password typed twice: both required, the same, checked by the app for length.
function passwordPair(prefix) {
  const secret = h("input", { type: "password", autocomplete: "new-password" });
  const secret2 = h("input", { type: "password", autocomplete: "new-password" });
  const fields = [field(prefix, "secret", PASSWORD.secret, secret, { hint: PASSWORD.hint }), field(prefix, "secret2", PASSWORD.secret2, secret2)];
  const errors = () => {
    if (!secret.value) return [{ field: "secret", message: COMMON.required }];
    if (secret.value !== secret2.value) return [{ field: "secret2", message: PASSWORD.mismatch }];
    return [];
  };
  return { secret, secret2, fields, errors };
}

function screenCard(id, form) {
  main.replaceChildren(h("article", { class: "screen", id }, form));
}

// The app opens here once the office is set up: name and password or PIN, Enter signs in.
function renderSignIn({ note, kind = "warning", code = "" } = {}) {
  const name = h("input", { type: "text", autocomplete: "username", spellcheck: "false" });
  const secret = h("input", { type: "password", autocomplete: "current-password" });
  const general = h("p", { class: "message", id: "sign-in-message", role: "alert" });
  const submit = h("button", { type: "submit", id: "sign-in-submit" }, SIGN_IN.submit);
  const form = h(
    "form",
    { class: "card sign-in", id: "sign-in-form", novalidate: true },
    h("h2", {}, SIGN_IN.heading),
    h("p", { class: "strong", id: "sign-in-office" }, SIGN_IN.office(state.names?.line ?? "")),
    h("p", { class: "muted" }, SIGN_IN.lead),
    h("div", { class: "form-grid single" }, field("sign-in", "name", SIGN_IN.name, name, { hint: SIGN_IN.nameHint }), field("sign-in", "secret", SIGN_IN.secret, secret)),
    general,
    submit,
    h("p", { class: "muted small", id: "sign-in-help" }, SIGN_IN.help),
  );
  if (note) say(general, note, kind, code);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const missing = [
      ...(name.value.trim() ? [] : [{ field: "name", message: COMMON.required }]),
      ...(secret.value ? [] : [{ field: "secret", message: COMMON.required }]),
    ];
    const first = showErrors(form, missing, { general });
    if (first) return first.focus();
    submit.disabled = true;
    say(general, SIGN_IN.working, "");
    try {
      applyStatus(await call("sign_in", { name: name.value, secret: secret.value }));
      secret.value = "";
      enterApp({ focus: true });
    } catch (error) {
      showErrors(form, [error], { general });
      secret.value = "";
      secret.focus();
      submit.disabled = false;
    }
  });
  document.body.classList.add("signed-out");
  screenCard("screen-sign-in", form);
  name.focus();
  markReady();
}

// A ledger made before sign-in existed: its admin sets the first password and is signed in.
function renderFirstPassword() {
  const name = h("input", { type: "text", autocomplete: "username", spellcheck: "false" });
  const pair = passwordPair("first");
  const general = h("p", { class: "message", id: "first-message", role: "alert" });
  const submit = h("button", { type: "submit", id: "first-submit" }, FIRST_PASSWORD.submit);
  const form = h(
    "form",
    { class: "card sign-in", id: "first-password-form", novalidate: true },
    h("h2", {}, FIRST_PASSWORD.heading),
    h("p", { class: "strong" }, SIGN_IN.office(state.names?.line ?? "")),
    h("p", { class: "muted" }, FIRST_PASSWORD.lead),
    h("div", { class: "form-grid single" }, field("first", "name", FIRST_PASSWORD.name, name), ...pair.fields),
    general,
    submit,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const errors = name.value.trim() ? pair.errors() : [{ field: "name", message: COMMON.required }];
    const first = showErrors(form, errors, { general });
    if (first) return first.focus();
    submit.disabled = true;
    try {
      applyStatus(await call("set_first_password", { name: name.value, secret: pair.secret.value }));
      enterApp({ focus: true });
    } catch (error) {
      (showErrors(form, [error], { general }) ?? name).focus();
      submit.disabled = false;
    }
  });
  document.body.classList.add("signed-out");
  screenCard("screen-first-password", form);
  name.focus();
  markReady();
}

// First start: the office is not set up yet. Its first operator, an admin, gives a password and is
// signed in.
function renderSetup() {
  const input = (value = "") => h("input", { type: "text", autocomplete: "off", value });
  const inputs = { ward: input(), district: input(), city: input(SETUP.cityDefault), operator: input() };
  const pair = passwordPair("setup");
  const demo = h("input", { type: "checkbox", id: "setup-demo" });
  const demoSize = demoSizeSelect("setup-demo-size");
  demoSize.disabled = true;
  demo.addEventListener("change", () => (demoSize.disabled = !demo.checked));
  const demoBox = h("div", { id: "setup-demo-box" });
  // The heading every printed list and sheet will carry, as the core will print it from what is typed.
  const preview = officePreview("setup-preview", () => ({ ward: inputs.ward.value, district: inputs.district.value, city: inputs.city.value }));
  for (const el of [inputs.ward, inputs.district, inputs.city]) el.addEventListener("input", preview.update);
  const general = h("p", { class: "message", id: "setup-message", role: "alert" });
  const submit = h("button", { type: "submit", id: "setup-submit" }, SETUP.submit);
  const form = h(
    "form",
    { class: "card setup", id: "setup-form", novalidate: true },
    h("h2", {}, SETUP.heading),
    h("p", { class: "muted" }, SETUP.lead),
    h(
      "div",
      { class: "form-grid" },
      field("setup", "ward", SETUP.ward, inputs.ward, { hint: SETUP.wardHint }),
      field("setup", "district", SETUP.district, inputs.district, { hint: SETUP.districtHint }),
      field("setup", "city", SETUP.city, inputs.city),
      preview.el,
      field("setup", "operator", SETUP.operator, inputs.operator),
      ...pair.fields,
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
    const first = showErrors(form, [...missing, ...pair.errors()], { general });
    if (first) return first.focus();
    submit.disabled = true;
    general.className = "message";
    general.textContent = SETUP.working;
    try {
      const office = { ward: inputs.ward.value.trim(), district: inputs.district.value.trim(), city: inputs.city.value.trim() };
      applyStatus(await call("init_office", { office, operator: inputs.operator.value.trim(), secret: pair.secret.value, demo: false }));
    } catch (error) {
      (showErrors(form, [error], { general }) ?? inputs.ward).focus();
      submit.disabled = false;
      return;
    }
    pair.secret.value = "";
    pair.secret2.value = "";
    renderSession();
    if (!demo.checked) return enterApp({ focus: true });
    // The office exists now; the demo load runs on the app's background thread with its progress here.
    general.textContent = "";
    for (const el of form.querySelectorAll("input, select")) el.disabled = true;
    submit.hidden = true;
    try {
      await runDemo(demoBox, Number(demoSize.value));
    } catch {
      // The result line says what went wrong; the office is set up either way.
    }
    const go = h("button", { type: "button", id: "setup-continue", onclick: () => enterApp({ focus: true }) }, SETUP.continue);
    demoBox.append(go);
    go.focus();
  });
  document.body.classList.add("setting-up");
  screenCard("screen-setup", form);
  inputs.ward.focus();
  markReady();
}

// The window is interactive: the benchmark and the e2e tests wait for this marker.
function markReady() {
  if (document.documentElement.dataset.ready) return;
  window.__readyAt = Date.now();
  document.documentElement.dataset.ready = "true";
}

// Signed in: the screens, from the one in the address (or the overview).
async function enterApp({ focus = false } = {}) {
  document.body.classList.remove("setting-up", "signed-out");
  renderSession();
  // The operator's drafts first: a form they left half-filled opens with what they typed.
  await loadDrafts();
  show(location.hash.slice(1), {}, { focus });
  watchIdle();
  markReady();
}

// What the app opens on: set-up, the first password of an old ledger, sign-in, or (still signed in) the
// screens. `focus`: the keyboard lands on the first screen, not on the page body.
async function start({ focus = false } = {}) {
  try {
    // The core's words for roles, states, ID kinds… before anything shows them.
    if (!Object.keys(ROLES).length) fillVocabulary(await call("vocabulary"));
    await refreshStatus();
  } catch (error) {
    main.replaceChildren(h("p", { class: "message error", id: "start-error", "data-code": error.code }, error.message));
    return;
  }
  renderSession();
  if (!state.office) return renderSetup();
  if (!state.session) return state.needsFirstPassword ? renderFirstPassword() : renderSignIn();
  enterApp({ focus });
}

state.listeners.add(() => {
  if (operatorBox.isConnected) renderSession();
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
