// A search-and-pick field: type, see up to 8 hits, pick one with the mouse or ↓ and Enter.
import { h, put, debounce } from "./dom.js";

// search(q) → Promise<items>; hit(item) → the hit's text nodes; shown(item) → the picked line.
export function picker({ id, placeholder, search, hit, shown, onPick, changeLabel }) {
  const input = h("input", { type: "search", autocomplete: "off", placeholder, spellcheck: "false" });
  const hits = h("ul", { class: "hits", id: `${id}-hits` });
  const picked = h("div", { id: `${id}-picked`, class: "picked" });
  let value = null;
  let seq = 0;
  input.addEventListener(
    "input",
    debounce(async () => {
      const mine = ++seq;
      const q = input.value.trim();
      if (!q) return hits.replaceChildren();
      const found = await search(q).catch(() => []);
      if (mine !== seq) return;
      hits.replaceChildren(...found.slice(0, 8).map((item) => h("li", {}, h("button", { type: "button", class: "hit", "data-id": item.id, onclick: () => pick(item) }, hit(item)))));
    }, 100),
  );
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "Enter") {
      const first = hits.querySelector("button");
      if (first) {
        event.preventDefault();
        first.focus();
      }
    }
  });
  function pick(item, { silent = false } = {}) {
    value = item;
    hits.replaceChildren();
    input.value = "";
    input.hidden = true;
    put(picked, shown(item), " ", h("button", { type: "button", class: "secondary small", id: `${id}-change`, onclick: () => clear({ focus: true }) }, changeLabel));
    if (!silent) {
      onPick?.(item);
      focusNext();
    }
  }
  // The picked hit's button is gone: the keyboard moves on to the form's next field (or the Đổi button).
  function focusNext() {
    if (document.activeElement && document.activeElement !== document.body && !picked.parentElement.contains(document.activeElement)) return;
    const form = input.closest("form");
    const next = form
      ? [...form.querySelectorAll("input, select, textarea, button")].find(
          (el) => !el.disabled && el.getClientRects().length && !picked.parentElement.contains(el) && picked.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING,
        )
      : null;
    (next ?? picked.querySelector("button"))?.focus();
  }
  function clear({ focus = false } = {}) {
    const had = value;
    value = null;
    picked.replaceChildren();
    hits.replaceChildren();
    input.hidden = false;
    if (focus) input.focus();
    if (had) onPick?.(null);
  }
  return { input, el: h("div", {}, hits, picked), pick, clear, get value() { return value; }, focus: () => (value ? picked.querySelector("button")?.focus() : input.focus()) };
}
