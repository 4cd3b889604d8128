// The office's names as they will be printed: the core says (office_names), from what is typed, so the
// set-up and Cài đặt show exactly the heading every list and sheet will carry.
import { call } from "./ipc.js";
import { h, debounce } from "./dom.js";
import { SETUP } from "./strings.js";

export function officePreview(id, value) {
  const lines = h("p", { class: "preview-lines", id: `${id}-lines` });
  const line = h("p", { class: "muted small", id: `${id}-line` });
  const el = h("div", { class: "field wide office-preview", id, "aria-live": "polite" }, h("span", { class: "muted small" }, SETUP.preview), lines, line);
  async function run() {
    const office = value();
    if (![office.ward, office.district].some((v) => v.trim())) {
      lines.replaceChildren();
      line.textContent = "";
      return;
    }
    try {
      const names = await call("office_names", { office });
      lines.replaceChildren(h("strong", {}, names.heading[0]), h("br"), h("strong", {}, names.heading[1]));
      line.textContent = names.line;
    } catch {
      // The names are checked when saved; the preview waits for the next keystroke.
    }
  }
  const update = debounce(run, 120);
  return { el, update, run };
}
