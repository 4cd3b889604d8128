// Loading demo data with a progress bar fed by the app's background thread (a Tauri channel), a "Dừng"
// button that stops it after the chunk being written, and a result that says what was kept.
import { call } from "./ipc.js";
import { h, message, say } from "./dom.js";
import { DEMO } from "./strings.js";
import * as fmt from "./format.js";

// The size picker: the sizes offered, the first selected.
export function demoSizeSelect(id) {
  return h("select", { id }, DEMO.sizes.map((n, i) => h("option", { value: String(n), selected: i === 0 }, DEMO.sizeLabel(fmt.number(n)))));
}

// Runs the load into `box` (progress, stop button, result line); resolves with the outcome, or throws
// the command's { code, message }.
export async function runDemo(box, people) {
  const bar = h("progress", { id: "demo-progress", max: String(people), value: "0" });
  const text = h("p", { id: "demo-progress-text", class: "muted", role: "status", "aria-live": "polite" }, DEMO.starting);
  const stop = h("button", { type: "button", id: "demo-stop", class: "secondary" }, DEMO.stop);
  const result = message("demo-result");
  stop.addEventListener("click", async () => {
    stop.disabled = true;
    text.textContent = DEMO.stopping;
    await call("cancel_demo").catch(() => {});
  });
  box.replaceChildren(h("div", { class: "progress-box" }, bar, text, stop), result);
  const Channel = window.__TAURI__?.core?.Channel;
  const channel = new Channel();
  channel.onmessage = (p) => {
    bar.max = p.total;
    bar.value = p.done;
    bar.dataset.done = String(p.done);
    if (!stop.disabled) text.textContent = DEMO.progress(fmt.number(p.done), fmt.number(p.total));
  };
  stop.focus();
  // Clear of the status line at the foot of the window, where the set-up form ends.
  stop.scrollIntoView({ block: "center" });
  try {
    const out = await call("load_demo", { people, onProgress: channel });
    bar.value = out.written;
    text.textContent = DEMO.progress(fmt.number(out.written), fmt.number(out.requested));
    if (out.cancelled) say(result, DEMO.stopped(fmt.number(out.written), fmt.number(out.requested), fmt.number(out.claims)), "warning", "cancelled");
    else say(result, DEMO.done(fmt.number(out.people), fmt.number(out.claims)), "ok");
    return out;
  } catch (error) {
    say(result, error.message, "error", error.code);
    throw error;
  } finally {
    stop.remove();
  }
}
