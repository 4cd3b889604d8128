// The shell: top bar, left navigation, the current screen, and a status line.
import { call } from "./ipc.js";
import { h } from "./dom.js";
import { APP, SCREENS } from "./strings.js";
import { renderScreen } from "./screens.js";

const nav = document.getElementById("nav");
const main = document.getElementById("screen");
const footer = document.getElementById("status");

document.title = APP.title;
document.getElementById("app-title").textContent = APP.title;
document.getElementById("app-subtitle").textContent = APP.subtitle;
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

function show(id, { focus = true } = {}) {
  const screen = SCREENS.find((s) => s.id === id) ?? SCREENS[0];
  for (const [screenId, button] of buttons) {
    if (screenId === screen.id) button.setAttribute("aria-current", "page");
    else button.removeAttribute("aria-current");
  }
  main.replaceChildren(renderScreen(screen));
  if (location.hash !== `#${screen.id}`) history.replaceState(null, "", `#${screen.id}`);
  if (focus) main.focus({ preventScroll: true });
}

// Alt + 1…9 opens the screen with that number in the navigation.
document.addEventListener("keydown", (event) => {
  if (!event.altKey || event.ctrlKey || event.metaKey) return;
  const index = Number.parseInt(event.key, 10) - 1;
  if (index >= 0 && index < SCREENS.length) {
    event.preventDefault();
    show(SCREENS[index].id);
  }
});

show(location.hash.slice(1), { focus: false });

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
