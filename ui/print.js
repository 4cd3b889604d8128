// Print views: a sheet shown over the app with a print and a close button; @media print hides the rest.
import { h } from "./dom.js";
import { COMMON, PRINT } from "./strings.js";
import { state } from "./state.js";
import * as fmt from "./format.js";

export function openPrint(id, sheet) {
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
    h("div", { class: "print-actions no-print" }, printButton, h("button", { type: "button", class: "secondary", id: "print-close", onclick: close }, COMMON.close)),
    h("div", { class: "sheet" }, sheet),
  );
  view.addEventListener("keydown", (event) => {
    if (event.key === "Escape") close();
  });
  document.body.append(view);
  printButton.focus();
  return view;
}

// The heading every ward document starts with: the committee on the left, the national motto on the right.
export function heading() {
  const o = state.office ?? { ward: "", district: "", city: "" };
  return h(
    "div",
    { class: "doc-head" },
    h("div", {}, h("p", {}, PRINT.district(o.district)), h("p", { class: "strong" }, PRINT.committee(o.ward))),
    h("div", {}, h("p", { class: "strong" }, PRINT.nation), h("p", { class: "underline" }, PRINT.motto)),
  );
}

export function signatures(titles) {
  const o = state.office ?? { city: "" };
  return h(
    "div",
    { class: "doc-sign" },
    h("p", { class: "place" }, PRINT.place(o.city, fmt.todayParts())),
    h("div", { class: "sign-row" }, titles.map((t) => h("div", {}, h("p", { class: "strong" }, t), h("p", { class: "muted" }, PRINT.signHint)))),
  );
}
