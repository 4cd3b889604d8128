// Tables: a header and rows, and a pager for tables that come a page at a time.
import { h } from "./dom.js";
import { COMMON } from "./strings.js";

// columns: [{ label, cell: (row, index) => node|text, num?: true }]
// onOpen(row, tr) runs on Enter, and on a click unless `onClick` says what a click does instead.
export function table(id, columns, rows, { onOpen, onClick, start = 0, rowAttrs } = {}) {
  const body = h(
    "tbody",
    {},
    rows.map((row, i) => {
      const tr = h(
        "tr",
        { ...(rowAttrs?.(row, i) ?? {}), tabindex: onOpen ? "0" : null },
        columns.map((c) => h("td", { class: c.num ? "num" : null }, c.cell(row, start + i))),
      );
      if (onOpen) {
        tr.addEventListener("click", () => (onClick ?? onOpen)(row, tr));
        tr.addEventListener("keydown", (event) => {
          if (event.key === "Enter") {
            event.preventDefault();
            onOpen(row, tr);
          } else if (event.key === "ArrowDown") {
            event.preventDefault();
            tr.nextElementSibling?.focus();
          } else if (event.key === "ArrowUp") {
            event.preventDefault();
            tr.previousElementSibling?.focus();
          }
        });
      }
      return tr;
    }),
  );
  return h(
    "table",
    { id, class: onOpen ? "grid clickable" : "grid" },
    h("thead", {}, h("tr", {}, columns.map((c) => h("th", { class: c.num ? "num" : null, scope: "col" }, c.label)))),
    body,
  );
}

// "← Trang trước | 1–100 / 2.000 | Trang sau →"; `go(offset)` loads a page.
export function pager(id, { offset, count, total, size }, go, fmt = String) {
  if (total <= size) return h("div", { id, class: "pager" });
  const from = total ? offset + 1 : 0;
  const to = offset + count;
  return h(
    "div",
    { id, class: "pager" },
    h("button", { type: "button", class: "secondary", disabled: offset === 0, onclick: () => go(Math.max(0, offset - size)) }, COMMON.prev),
    h("span", { class: "muted" }, COMMON.page(fmt(from), fmt(to), fmt(total))),
    h("button", { type: "button", class: "secondary", disabled: to >= total, onclick: () => go(offset + size) }, COMMON.next),
  );
}
