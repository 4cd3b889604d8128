// Tổng quan: per policy the claims and amounts by state, paid totals by instrument, and a bar chart.
import { call } from "../ipc.js";
import { h, svg } from "../dom.js";
import { OVERVIEW, STATES } from "../strings.js";
import { loadPolicies } from "../state.js";
import * as fmt from "../format.js";

const WAITING = ["received", "verified", "posted"];

function byPolicy(summary) {
  const map = new Map();
  for (const row of summary.rows) {
    const p = map.get(row.policy) ?? { policy: row.policy, title: row.title, instrument: row.instrument, count: 0, total: 0, waiting: 0, approved: 0, paid: 0, paidTotal: 0, states: {} };
    if (row.status !== "rejected") {
      p.count += row.count;
      p.total += row.total;
    }
    if (WAITING.includes(row.status)) p.waiting += row.count;
    if (row.status === "approved") p.approved += row.count;
    if (row.status === "paid") {
      p.paid += row.count;
      p.paidTotal += row.total;
    }
    p.states[row.status] = row.count;
    map.set(row.policy, p);
  }
  return [...map.values()].sort((a, b) => b.total - a.total);
}

function chart(rows) {
  const max = Math.max(1, ...rows.map((r) => r.total));
  const rowH = 28;
  const labelW = 270;
  const barW = 360;
  const height = rows.length * rowH + 30;
  return svg(
    "svg",
    { id: "overview-chart", viewBox: `0 0 ${labelW + barW + 140} ${height}`, role: "img", "aria-label": OVERVIEW.chart, class: "chart" },
    rows.map((r, i) => {
      const y = i * rowH + 4;
      const w = Math.max(1, (r.total / max) * barW);
      const pw = (r.paidTotal / max) * barW;
      return svg(
        "g",
        {},
        svg("title", {}, `${r.title}: ${fmt.money(r.total)}`),
        svg("text", { x: labelW - 8, y: y + 15, "text-anchor": "end", class: "chart-label" }, r.title.length > 40 ? `${r.title.slice(0, 39)}…` : r.title),
        svg("rect", { x: labelW, y, width: w, height: rowH - 8, rx: 3, class: "bar-rest" }),
        svg("rect", { x: labelW, y, width: pw, height: rowH - 8, rx: 3, class: "bar-paid" }),
        svg("text", { x: labelW + w + 6, y: y + 15, class: "chart-value" }, fmt.money(r.total)),
      );
    }),
    svg("rect", { x: labelW, y: height - 20, width: 12, height: 12, class: "bar-paid" }),
    svg("text", { x: labelW + 18, y: height - 10, class: "chart-value" }, OVERVIEW.chartLegendPaid),
    svg("rect", { x: labelW + 130, y: height - 20, width: 12, height: 12, class: "bar-rest" }),
    svg("text", { x: labelW + 148, y: height - 10, class: "chart-value" }, OVERVIEW.chartLegendRest),
  );
}

export function overview() {
  const el = h("div", { id: "overview" }, h("p", { class: "muted" }, "…"));
  async function load() {
    try {
      await loadPolicies();
      const summary = await call("report_summary");
      const rows = byPolicy(summary);
      if (!rows.length) {
        el.replaceChildren(h("section", { class: "card" }, h("p", { id: "overview-empty" }, OVERVIEW.empty)));
        return;
      }
      const sum = (k) => rows.reduce((a, r) => a + r[k], 0);
      const policyTable = h(
        "table",
        { class: "grid", id: "overview-policies" },
        h("thead", {}, h("tr", {}, [OVERVIEW.policy, OVERVIEW.claims, OVERVIEW.waiting, OVERVIEW.approved, OVERVIEW.paid, OVERVIEW.paidAmount, OVERVIEW.total].map((t, i) => h("th", { class: i ? "num" : null }, t)))),
        h(
          "tbody",
          {},
          rows.map((r) =>
            h(
              "tr",
              { "data-policy": r.policy, title: Object.entries(r.states).map(([s, n]) => `${STATES[s] ?? s}: ${fmt.number(n)}`).join(" · ") },
              h("td", { title: r.policy }, r.title),
              h("td", { class: "num" }, fmt.number(r.count)),
              h("td", { class: "num" }, fmt.number(r.waiting)),
              h("td", { class: "num" }, fmt.number(r.approved)),
              h("td", { class: "num" }, fmt.number(r.paid)),
              h("td", { class: "num" }, fmt.money(r.paidTotal)),
              h("td", { class: "num" }, fmt.money(r.total)),
            ),
          ),
        ),
        h(
          "tfoot",
          {},
          h(
            "tr",
            {},
            h("th", {}, OVERVIEW.totalRow),
            ...["count", "waiting", "approved", "paid"].map((k) => h("th", { class: "num" }, fmt.number(sum(k)))),
            h("th", { class: "num", id: "overview-paid-total" }, fmt.money(sum("paidTotal"))),
            h("th", { class: "num", id: "overview-total" }, fmt.money(sum("total"))),
          ),
        ),
      );
      const instruments = h(
        "table",
        { class: "grid", id: "overview-instruments" },
        h("thead", {}, h("tr", {}, h("th", {}, OVERVIEW.instrument), h("th", { class: "num" }, OVERVIEW.people), h("th", { class: "num" }, OVERVIEW.amount))),
        h(
          "tbody",
          {},
          summary.by_instrument.map((r) => h("tr", {}, h("td", {}, r.instrument), h("td", { class: "num" }, fmt.number(r.paid_count)), h("td", { class: "num" }, fmt.money(r.paid_total)))),
        ),
        h(
          "tfoot",
          {},
          h(
            "tr",
            {},
            h("th", {}, OVERVIEW.totalRow),
            h("th", { class: "num" }, fmt.number(summary.by_instrument.reduce((a, r) => a + r.paid_count, 0))),
            h("th", { class: "num" }, fmt.money(summary.by_instrument.reduce((a, r) => a + r.paid_total, 0))),
          ),
        ),
      );
      el.replaceChildren(
        h("section", { class: "card wide" }, h("h3", {}, OVERVIEW.chart), chart(rows)),
        h("section", { class: "card wide" }, h("h3", {}, OVERVIEW.byPolicy), policyTable),
        h(
          "section",
          { class: "card wide" },
          h("h3", {}, OVERVIEW.byInstrument),
          instruments,
          summary.reversals ? h("p", { class: "muted", id: "overview-reversals" }, OVERVIEW.reversals(fmt.number(summary.reversals), fmt.money(summary.reversed_total))) : null,
        ),
      );
    } catch (error) {
      el.replaceChildren(h("p", { class: "message error", "data-code": error.code }, error.message));
    }
  }
  return { el, ready: load };
}
