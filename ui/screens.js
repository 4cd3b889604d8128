// What each screen shows. For now: what is coming, and on the overview the IPC check.
import { call } from "./ipc.js";
import { h } from "./dom.js";
import { COMING, IPC_CHECK } from "./strings.js";

function comingSoon(screen) {
  return h(
    "section",
    { class: "card coming", "aria-labelledby": `coming-${screen.id}` },
    h("p", { class: "badge", id: `coming-${screen.id}` }, COMING.badge),
    h("p", {}, COMING.lead),
    h("ul", {}, screen.coming.map((line) => h("li", {}, line))),
  );
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
  run();

  return h(
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
}

// Extra content per screen, shown under the "coming" card.
const EXTRAS = {
  overview: () => [ipcCheck()],
};

export function renderScreen(screen) {
  const extras = EXTRAS[screen.id]?.() ?? [];
  return h(
    "article",
    { class: "screen", id: `screen-${screen.id}`, "data-screen": screen.id },
    h("h2", { id: "screen-title" }, screen.title),
    comingSoon(screen),
    ...extras,
  );
}
