// Print views: a sheet shown over the app with a print and a close button; @media print hides the rest.
import { h } from "./dom.js";
import { COMMON } from "./strings.js";

// `actions`: more buttons for the bar, next to Print and Close; `note`: a status line under the bar.
export function openPrint(id, sheet, { actions = [], note = null } = {}) {
  document.getElementById("print-view")?.remove();
  const close = () => {
    view.remove();
    opener?.focus();
  };
  const opener = document.activeElement;
  const printButton = h("button", { type: "button", id: "print-now", onclick: () => window.print() }, COMMON.print);
  const view = h(
    "section",
    { id: "print-view", "data-sheet": id, role: "dialog", "aria-modal": "true" },
    h("div", { class: "print-actions no-print" }, printButton, actions, h("button", { type: "button", class: "secondary", id: "print-close", onclick: close }, COMMON.close)),
    note,
    h("div", { class: "sheet" }, sheet),
  );
  view.addEventListener("keydown", (event) => {
    if (event.key === "Escape") close();
    // The shortcut the print button names (the webview has none of its own).
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "p") {
      event.preventDefault();
      window.print();
    }
  });
  document.body.append(view);
  printButton.focus();
  return view;
}

// A sheet the core wrote as a whole HTML document (payout sheet, posting list), for the print view. The
// CSP forbids its inline <style> (the app's stylesheet styles its classes under .core-sheet instead), and
// only its plain markup is rebuilt here, element by element from an allow-list: text stays text.
const SHEET_TAGS = new Set(["div", "p", "b", "i", "u", "br", "h1", "ul", "li", "table", "thead", "tbody", "tfoot", "tr", "th", "td"]);
const SHEET_ATTRS = ["class", "colspan"];

export function coreSheet(html) {
  const doc = new DOMParser().parseFromString(html, "text/html");
  const copy = (node) => {
    if (node.nodeType === Node.TEXT_NODE) return document.createTextNode(node.data);
    const tag = node.nodeType === Node.ELEMENT_NODE ? node.tagName.toLowerCase() : "";
    if (!SHEET_TAGS.has(tag)) return null;
    const el = document.createElement(tag);
    for (const name of SHEET_ATTRS) if (node.hasAttribute(name)) el.setAttribute(name, node.getAttribute(name));
    for (const child of node.childNodes) {
      const c = copy(child);
      if (c) el.append(c);
    }
    return el;
  };
  return h("div", { class: "core-sheet" }, [...doc.body.childNodes].map(copy));
}
