// Hồ sơ đề nghị: two views. "Ghi hồ sơ": pick a person and a policy, enter the facts, see the amount with
// its breakdown and legal basis live before saving (or the reasons it is refused), see likely duplicates,
// and save; what is typed is kept as a draft. "Sổ hồ sơ" (register.js): every claim, filtered, opened,
// corrected (this form, in correction mode) or withdrawn.
import { call } from "../ipc.js";
import { h, field, showErrors, message, say, debounce, put } from "../dom.js";
import { table } from "../table.js";
import { CLAIMS, COMMON, CONFIDENCE, ID_KINDS, PEOPLE, STATES, UNITS } from "../strings.js";
import { picker } from "../picker.js";
import { can, guard, loadPolicies, policy, roleNote, state } from "../state.js";
import { draft } from "../draft.js";
import { register } from "./register.js";
import * as fmt from "../format.js";

const confidenceBadge = (c) => (c && c !== "confirmed" ? h("span", { class: `badge conf conf-${c}` }, CONFIDENCE[c] ?? c) : null);

// The two views, as tabs at the top of the screen.
function tabs(go, active) {
  const tab = (id, label, params) =>
    h("button", { type: "button", role: "tab", id: `claims-tab-${id}`, class: id === active ? "tab active" : "tab secondary", "aria-selected": String(id === active), onclick: () => go("claims", params) }, label);
  return h("div", { class: "tabs", role: "tablist" }, tab("new", CLAIMS.tabNew, {}), tab("register", CLAIMS.tabRegister, { view: "register" }));
}

export function claims({ go, params }) {
  if (params.view === "register") {
    const view = register({ go, params });
    return { ...view, el: h("div", {}, tabs(go, "register"), view.el) };
  }
  const view = claimForm({ go, params });
  return { ...view, el: h("div", {}, tabs(go, "new"), view.el) };
}

// The claim form. With `params.correct` (a claim's detail from the register) it corrects that claim: the
// beneficiary and policy stay, the facts are filled in as recorded, and a reason is asked for.
function claimForm({ go, params }) {
  const correcting = params.correct ?? null;
  let person = null;
  let current = null; // the chosen policy
  const general = message("claim-message");
  // What the core says about a claim as it records it (a once-only supplement already held by another claim,
  // an excluding claim to review, a deadline not checked): kept under the save message until the next save.
  const savedNotes = h("div", { id: "claim-saved-notes", class: "notes saved-notes", role: "status", "aria-live": "polite" });

  // Person picker.
  const personSearch = h("input", { type: "search", autocomplete: "off", placeholder: CLAIMS.personSearch, spellcheck: "false" });
  const personHits = h("ul", { class: "hits", id: "claim-person-hits" });
  const personShown = h("div", { id: "claim-person", class: "picked" });
  const personBox = h("div", {}, field("claim", "person", CLAIMS.person, personSearch, { wide: true }), personHits, personShown);

  // Household or group picker, for policies paid per household or per group.
  const unitOf = () => current?.unit ?? "person";
  const unitPicker = picker({
    id: "claim-unit",
    placeholder: "",
    changeLabel: UNITS.ownerChange,
    search: (q) => call("find_units", { unit: unitOf(), query: q }),
    hit: (u) => [h("strong", {}, u.name), u.owner_name ? ` · ${u.owner_name}` : "", u.tax_code ? ` · MST ${u.tax_code}` : ""],
    shown: (u) => [h("strong", { id: "claim-unit-name" }, u.name), u.owner_name ? ` · ${u.owner_name}` : "", u.tax_code ? ` · MST ${u.tax_code}` : ""],
    onPick: () => {
      showUnitNote();
      requote();
    },
  });
  const unitLabel = h("label", { for: "claim-unit" });
  const unitBox = h(
    "div",
    { class: "field wide", "data-field-wrap": "unit", id: "claim-unit-box", hidden: true },
    unitLabel,
    unitPicker.input,
    unitPicker.el,
    h("p", { class: "field-error", id: "claim-unit-error", role: "alert", "data-error-for": "unit" }),
  );
  unitPicker.input.id = "claim-unit";
  unitPicker.input.dataset.field = "unit";
  let shownUnit = "person";
  function switchUnit() {
    const unit = unitOf();
    if (unit === shownUnit) return;
    if (shownUnit !== "person") unitPicker.clear();
    shownUnit = unit;
    personBox.hidden = unit !== "person";
    unitBox.hidden = unit === "person";
    if (unit !== "person") {
      unitLabel.textContent = unit === "household" ? UNITS.household : UNITS.group;
      unitPicker.input.placeholder = CLAIMS.unitSearch[unit];
      showUnitNote();
    } else if (person) showDuplicates();
    else put(dupBox, h("h3", {}, CLAIMS.duplicates), h("p", { class: "muted" }, CLAIMS.personNone));
  }
  function showUnitNote() {
    const unit = unitOf();
    if (unit === "person") return;
    put(dupBox, h("h3", {}, CLAIMS.duplicates), h("p", { class: "muted", id: "claim-dup-unit" }, unitPicker.value ? CLAIMS.unitDup : CLAIMS.unitNone[unit]));
  }

  // Policy.
  const policySelect = h("select", {}, h("option", { value: "" }, CLAIMS.policyPick));
  const policyInfo = h("div", { id: "claim-policy-info" });

  // Facts: the inputs live across policy changes, so nothing typed is lost.
  const text = (attrs = {}) => h("input", { type: "text", autocomplete: "off", ...attrs });
  const inputs = {
    from: text({ placeholder: "dd/mm/yyyy" }),
    to: text({ placeholder: "dd/mm/yyyy" }),
    days: text({ inputmode: "numeric" }),
    applied: text({ placeholder: "dd/mm/yyyy" }),
  };
  const checks = {
    pregnant: h("input", { type: "checkbox", id: "claim-pregnant" }),
    elderly: h("input", { type: "checkbox", id: "claim-elderly" }),
    disabled: h("input", { type: "checkbox", id: "claim-disabled" }),
  };
  const children = [];
  const childBox = h("div", { id: "claim-children" });
  let flags = {};
  const factsBox = h("div", { id: "claim-facts" });
  const quoteBox = h("section", { class: "card quote", id: "claim-quote", "aria-live": "polite" }, h("h3", {}, CLAIMS.quoteHeading), h("p", { class: "muted" }, CLAIMS.quoteWaiting));
  const dupBox = h("section", { class: "card", id: "claim-duplicates" }, h("h3", {}, CLAIMS.duplicates), h("p", { class: "muted" }, CLAIMS.personNone));
  const recentBox = h("div", { id: "claim-recent" });
  const save = h("button", { type: "submit", id: "claim-save" }, correcting ? CLAIMS.correctSave : COMMON.save);
  guard("record", "record", save);
  // Correcting: why (kept in the audit log), and the way back to the register.
  const reason = h("input", { type: "text", autocomplete: "off" });
  const cancel = correcting ? h("button", { type: "button", class: "secondary", id: "claim-correct-cancel", onclick: () => go("claims", { view: "register", open: correcting.claim.id }) }, COMMON.cancel) : null;
  // What is typed is kept as a draft until it is saved: across screens and a restart of the app.
  const kept = draft(correcting ? `claim-correct-${correcting.claim.id}` : "claim", {
    collect: () => ({ ...formValue(), person, unitPicked: unitPicker.value, reason: reason.value }),
    restore: (f) => restoreForm(f),
    onDiscard: () => {
      if (correcting) return go("claims", { correct: correcting });
      clearForm({ keepPerson: false });
      personSearch.focus();
    },
  });

  const form = h(
    "form",
    { class: "card wide", id: "claim-form", novalidate: true },
    h("h3", {}, correcting ? CLAIMS.correctHeading(correcting.claim.beneficiary_name) : CLAIMS.formHeading),
    correcting ? h("p", { class: "small", id: "claim-correct-lead" }, CLAIMS.correctLead) : null,
    kept.marker,
    personBox,
    unitBox,
    h("div", { class: "form-grid" }, field("claim", "policy", CLAIMS.policy, policySelect, { wide: true })),
    policyInfo,
    factsBox,
    correcting ? h("div", { class: "form-grid" }, field("claim", "reason", CLAIMS.correctReason, reason, { wide: true, hint: CLAIMS.correctReasonHint })) : null,
    general,
    savedNotes,
    roleNote("record", "claim-role-note"),
    h("div", { class: "actions" }, save, cancel),
  );

  function formValue() {
    return {
      policy: policySelect.value,
      personId: unitOf() === "person" ? (person?.id ?? "") : "",
      subjectId: unitOf() === "person" ? "" : (unitPicker.value?.id ?? ""),
      from: inputs.from.value,
      to: inputs.to.value,
      days: inputs.days.value,
      applied: inputs.applied.value,
      pregnant: checks.pregnant.checked,
      elderly: checks.elderly.checked,
      disabled: checks.disabled.checked,
      children: children.map((c) => ({ name: c.name.value, dob: c.dob.value, idNumber: c.id.value })),
      flags,
    };
  }

  function addChild({ focus = true } = {}) {
    const i = children.length;
    const c = { name: text(), dob: text({ placeholder: "dd/mm/yyyy" }), id: text({ inputmode: "numeric" }) };
    children.push(c);
    const row = h(
      "div",
      { class: "form-grid child" },
      field("claim", `child-${i}-name`, CLAIMS.childName, c.name),
      field("claim", `child-${i}-dob`, CLAIMS.childDob, c.dob),
      field("claim", `child-${i}-id`, CLAIMS.childId, c.id),
    );
    for (const el of Object.values(c)) el.addEventListener("input", requote);
    childBox.append(row);
    if (focus) c.name.focus();
  }

  function renderFacts() {
    const p = current;
    if (!p) return put(factsBox, );
    const facts = new Set(p.supplements.map((s) => s.fact));
    const period = p.amount.rule !== "fixed" || p.min_days;
    const daily = p.amount.rule === "per_day" || p.amount.rule === "tiers";
    flags = Object.fromEntries(Object.entries(flags).filter(([k]) => p.conditions.some((c) => c.fact === k)));
    // Each condition is its question, answered Có / Không; a required one (must) is marked and has no
    // "Chưa rõ": left unanswered, the quote says "Chưa xác nhận: …?".
    const conditions = p.conditions.map((c, i) => {
      const name = `claim-flag-${c.fact}`;
      const radio = (value, label) => {
        const input = h("input", { type: "radio", name, value, id: `${name}-${value}`, required: c.must && value !== "unset", checked: value === "unset" ? !(c.fact in flags) : flags[c.fact] === (value === "yes") });
        input.addEventListener("change", () => {
          if (value === "unset") delete flags[c.fact];
          else flags[c.fact] = value === "yes";
          requote();
        });
        return h("label", { class: "radio" }, input, " ", label);
      };
      return h(
        "fieldset",
        { class: c.must ? "condition required" : "condition", "data-fact": c.fact, "data-required": c.must ? "true" : null, id: `claim-cond-${i}`, "aria-required": c.must ? "true" : null },
        h("legend", {}, c.question || c.fact),
        radio("yes", COMMON.yes),
        radio("no", COMMON.no),
        c.must ? h("span", { class: "badge req" }, CLAIMS.required) : radio("unset", COMMON.unknown),
      );
    });
    put(factsBox, 
      h(
        "div",
        { class: "form-grid" },
        field("claim", "from", period ? CLAIMS.from(p.period_label) : p.period_label, inputs.from),
        period ? field("claim", "to", CLAIMS.to, inputs.to) : null,
        daily ? field("claim", "days", CLAIMS.days, inputs.days) : null,
        field("claim", "applied", CLAIMS.applied, inputs.applied),
      ),
      facts.has("pregnant") || facts.has("elderly") || facts.has("disabled")
        ? h(
            "div",
            { class: "checks" },
            facts.has("pregnant") ? h("label", { class: "check" }, checks.pregnant, " ", CLAIMS.pregnant) : null,
            facts.has("elderly") ? h("label", { class: "check" }, checks.elderly, " ", CLAIMS.elderly) : null,
            facts.has("disabled") ? h("label", { class: "check" }, checks.disabled, " ", CLAIMS.disabled) : null,
          )
        : null,
      facts.has("child_under_6")
        ? h("fieldset", { class: "children" }, h("legend", {}, CLAIMS.children), childBox, h("button", { type: "button", class: "secondary", id: "claim-child-add", onclick: () => addChild() }, CLAIMS.childAdd))
        : null,
      conditions.length
        ? h(
            "fieldset",
            { class: "conditions" },
            h("legend", {}, CLAIMS.conditions),
            p.conditions.some((c) => c.must) ? h("p", { class: "muted small", id: "claim-required-hint" }, CLAIMS.requiredHint) : null,
            conditions,
          )
        : null,
    );
  }

  function renderPolicy({ quiet = false } = {}) {
    current = policy(policySelect.value) ?? null;
    if (!current) {
      policyInfo.replaceChildren();
    } else {
      const p = current;
      policyInfo.replaceChildren(
        h(
          "div",
          { class: "policy-info" },
          h("p", { class: "strong", id: "claim-policy-title" }, p.title, " ", confidenceBadge(p.confidence)),
          h("p", {}, h("span", { class: "muted" }, `${CLAIMS.instrument}: `), p.instrument),
          h("p", { id: "claim-policy-basis" }, h("span", { class: "muted" }, `${CLAIMS.basis}: `), p.basis),
          h("p", { class: "muted small" }, `${CLAIMS.source}: ${p.source}`),
        ),
      );
    }
    switchUnit();
    renderFacts();
    if (!quiet) requote();
  }

  let quoteSeq = 0;
  async function runQuote() {
    const mine = ++quoteSeq;
    const v = formValue();
    if (!v.policy) {
      put(quoteBox, h("h3", {}, CLAIMS.quoteHeading), h("p", { class: "muted" }, CLAIMS.quoteWaiting));
      return;
    }
    try {
      const q = await call("quote", { form: v });
      if (mine !== quoteSeq) return;
      showErrors(form, []);
      quoteBox.dataset.eligible = String(q.eligible);
      put(quoteBox, 
        h("h3", {}, CLAIMS.quoteHeading),
        q.eligible
          ? h("p", { class: "amount", id: "claim-amount" }, fmt.money(q.amount))
          : h("p", { class: "amount refused", id: "claim-amount" }, CLAIMS.refused),
        q.lines.length
          ? h(
              "table",
              { class: "grid", id: "claim-lines" },
              h("tbody", {}, q.lines.map((l) => h("tr", {}, h("td", {}, l.label, h("br"), h("small", { class: "muted" }, l.basis), " ", confidenceBadge(l.confidence)), h("td", { class: "num" }, fmt.money(l.amount))))),
              q.eligible ? h("tfoot", {}, h("tr", {}, h("th", {}, CLAIMS.total), h("th", { class: "num" }, fmt.money(q.amount)))) : null,
            )
          : null,
        q.reasons.length ? h("div", { class: "reasons", id: "claim-reasons" }, h("p", { class: "strong" }, CLAIMS.reasons), h("ul", {}, q.reasons.map((r) => h("li", {}, r)))) : null,
        q.notes.length ? h("div", { class: "notes" }, h("p", { class: "muted" }, CLAIMS.notes), h("ul", {}, q.notes.map((r) => h("li", {}, r)))) : null,
      );
    } catch (error) {
      if (mine !== quoteSeq) return;
      showErrors(form, [error], { general });
      // No amount from an input the core could not read: the previous one must not stay on show.
      delete quoteBox.dataset.eligible;
      put(quoteBox, h("h3", {}, CLAIMS.quoteHeading), h("p", { class: "amount unknown", id: "claim-amount" }, CLAIMS.quoteInvalid));
    }
  }
  const quoteSoon = debounce(runQuote, 150);
  // Any change prepares another claim: the last save's message and notes are about the one saved, so they
  // go (issue 13: "Đã lưu hồ sơ…" stayed beside Save while the next claim was prepared); the draft is kept.
  // True while the form is being filled or emptied by the screen itself (after a save, from a draft): that
  // is not the officer preparing another claim.
  let resetting = false;
  function requote() {
    if (resetting) return quoteSoon();
    if (general.classList.contains("ok")) say(general, "", "");
    savedNotes.replaceChildren();
    kept.changed();
    quoteSoon();
  }
  for (const el of Object.values(inputs)) el.addEventListener("input", requote);
  for (const el of Object.values(checks)) el.addEventListener("change", requote);
  policySelect.addEventListener("change", () => renderPolicy());

  async function showDuplicates() {
    if (!person) return;
    try {
      const [twins, detail] = await Promise.all([call("same_name", { name: person.full_name, except: person.id }), call("person_detail", { id: person.id })]);
      const parts = [h("h3", {}, CLAIMS.duplicates)];
      if (twins.length)
        parts.push(
          h("p", { class: "warning-text" }, CLAIMS.dupSameName(twins.length)),
          h("ul", { id: "claim-dup-people" }, twins.map((p) => h("li", {}, fmt.parts(p.full_name, fmt.dob(p.dob), p.ids.map((d) => `${ID_KINDS[d.kind]} ${d.number}`).join(", "))))),
        );
      if (detail.claims.length)
        parts.push(
          h("p", { class: "warning-text" }, CLAIMS.dupClaims(detail.claims.length)),
          h("ul", { id: "claim-dup-claims" }, detail.claims.map((c) => h("li", {}, `${policy(c.policy)?.title ?? c.policy} · ${fmt.money(c.amount)} · ${STATES[c.status] ?? c.status}`))),
        );
      if (!twins.length && !detail.claims.length) parts.push(h("p", { class: "muted", id: "claim-dup-none" }, CLAIMS.dupNone));
      put(dupBox, ...parts);
    } catch (error) {
      put(dupBox, h("h3", {}, CLAIMS.duplicates), h("p", { class: "message error" }, error.message));
    }
  }

  function pick(p, { silent = false } = {}) {
    person = p;
    personHits.replaceChildren();
    personSearch.value = "";
    personSearch.hidden = true;
    put(personShown, 
      h("strong", { id: "claim-person-name" }, p.full_name),
      `${fmt.after(fmt.dob(p.dob), p.ids.map((d) => `${ID_KINDS[d.kind]} ${d.number}`).join(", "))} `,
      h("button", { type: "button", class: "secondary small", id: "claim-person-change", onclick: unpick }, CLAIMS.personChange),
    );
    showDuplicates();
    if (silent) return;
    requote();
    // The hit that was picked is gone; the policy is the next thing to choose.
    policySelect.focus();
  }
  function unpick() {
    person = null;
    requote();
    put(personShown, );
    personSearch.hidden = false;
    personSearch.focus();
    put(dupBox, h("h3", {}, CLAIMS.duplicates), h("p", { class: "muted" }, CLAIMS.personNone));
  }
  personSearch.addEventListener(
    "input",
    debounce(async () => {
      const q = personSearch.value.trim();
      if (!q) return personHits.replaceChildren();
      const found = await call("search_people", { query: q }).catch(() => []);
      personHits.replaceChildren(
        ...found.slice(0, 8).map((p) =>
          h("li", {}, h("button", { type: "button", class: "hit", "data-id": p.id, onclick: () => pick(p) }, h("strong", {}, p.full_name), fmt.after(fmt.dob(p.dob), p.ids.map((d) => d.number).join(", ")))),
        ),
      );
    }, 120),
  );
  personSearch.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "Enter") {
      const first = personHits.querySelector("button");
      if (first) {
        event.preventDefault();
        first.focus();
      }
    }
  });

  function setChildren(list) {
    children.length = 0;
    childBox.replaceChildren();
    for (const c of list ?? []) {
      addChild({ focus: false });
      const row = children[children.length - 1];
      row.name.value = c.name ?? "";
      row.dob.value = c.dob ?? "";
      row.id.value = c.idNumber ?? "";
    }
  }

  // Puts a kept draft (or a claim's recorded facts) back: the person or unit, the policy, every fact.
  function restoreForm(f) {
    resetting = true;
    try {
      fillFrom(f);
    } finally {
      resetting = false;
    }
  }

  function fillFrom(f) {
    if (f.person && !correcting) pick(f.person, { silent: true });
    if (f.policy) policySelect.value = f.policy;
    flags = { ...(f.flags ?? {}) };
    renderPolicy({ quiet: true });
    if (f.unitPicked) unitPicker.pick(f.unitPicked, { silent: true });
    for (const k of ["from", "to", "days", "applied"]) inputs[k].value = f[k] ?? "";
    for (const k of ["pregnant", "elderly", "disabled"]) checks[k].checked = Boolean(f[k]);
    setChildren(f.children);
    renderFacts();
    reason.value = f.reason ?? "";
    runQuote();
  }

  function clearForm({ keepPerson }) {
    resetting = true;
    try {
      emptyForm(keepPerson);
    } finally {
      resetting = false;
    }
  }

  function emptyForm(keepPerson) {
    if (!keepPerson && person) {
      person = null;
      put(personShown);
      personSearch.hidden = false;
      put(dupBox, h("h3", {}, CLAIMS.duplicates), h("p", { class: "muted" }, CLAIMS.personNone));
    }
    policySelect.value = "";
    for (const k of ["from", "to", "days", "applied"]) inputs[k].value = "";
    for (const c of Object.values(checks)) c.checked = false;
    setChildren([]);
    flags = {};
    renderPolicy({ quiet: true });
    showErrors(form, []);
    runQuote();
  }

  // The facts a claim was recorded with, as the form's fields.
  function recordedFacts(detail) {
    const f = detail.facts;
    const d = (iso) => (iso ? fmt.date(iso) : "");
    return {
      policy: detail.claim.policy,
      from: d(f.from),
      to: d(f.to),
      days: f.days == null ? "" : String(f.days),
      applied: d(f.applied),
      pregnant: f.pregnant,
      elderly: f.elderly,
      disabled: f.disabled,
      children: (f.children ?? []).map((c) => ({ name: c.name ?? "", dob: d(c.dob), idNumber: c.id_number ?? "" })),
      flags: f.flags ?? {},
    };
  }

  async function recent() {
    try {
      const rows = await call("recent_claims");
      recentBox.replaceChildren(
        h("h3", {}, CLAIMS.recent),
        rows.length
          ? table(
              "claim-recent-table",
              [
                { label: CLAIMS.colName, cell: (c) => c.name },
                { label: CLAIMS.policy, cell: (c) => policy(c.policy)?.title ?? c.policy },
                { label: PEOPLE.colAmount, cell: (c) => fmt.money(c.amount), num: true },
                { label: PEOPLE.colState, cell: (c) => STATES[c.state] ?? c.state },
                { label: PEOPLE.colRecorded, cell: (c) => `${c.recorded_by}, ${fmt.dateTime(c.recorded_at)}` },
              ],
              rows.slice(0, 10),
              { onOpen: (c) => go("claims", { view: "register", open: c.id }) },
            )
          : h("p", { class: "muted" }, COMMON.empty),
      );
    } catch (error) {
      recentBox.replaceChildren(h("p", { class: "message error" }, error.message));
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    save.disabled = true;
    savedNotes.replaceChildren();
    try {
      if (correcting) {
        const record = await call("correct_claim", { id: correcting.claim.id, form: formValue(), reason: reason.value });
        await kept.saved();
        go("claims", { view: "register", open: record.id, saved: CLAIMS.corrected(fmt.money(correcting.claim.amount), fmt.money(record.amount)) });
        return;
      }
      const record = await call("add_claim", { form: formValue() });
      await kept.saved();
      say(general, CLAIMS.saved(fmt.money(record.amount)), "ok");
      if (record.notes?.length) put(savedNotes, h("p", { class: "strong" }, CLAIMS.savedNotes), h("ul", {}, record.notes.map((n) => h("li", {}, n))));
      showErrors(form, []);
      resetting = true;
      try {
        policySelect.value = "";
        for (const k of ["from", "to", "days"]) inputs[k].value = "";
        for (const c of Object.values(checks)) c.checked = false;
        setChildren([]);
        flags = {};
        renderPolicy({ quiet: true });
      } finally {
        resetting = false;
      }
      runQuote();
      showDuplicates();
      recent();
      policySelect.focus();
    } catch (error) {
      // The subject picker of a household or group policy is the "unit" field on this form.
      const located = error.field === "person" && unitOf() !== "person" ? { ...error, field: "unit" } : error;
      (showErrors(form, [located], { general }) ?? policySelect).focus();
    } finally {
      save.disabled = !can("record");
    }
  });

  const el = h("div", { class: "claims-layout" }, h("div", { class: "col-main" }, form, correcting ? null : recentBox), h("div", { class: "col-side" }, quoteBox, dupBox));

  return {
    el,
    ready: async () => {
      const all = await loadPolicies();
      policySelect.append(...all.map((p) => h("option", { value: p.code, "data-unit": p.unit }, p.unit === "person" ? `${p.title} (${p.code})` : `${p.title} (${p.code}) – ${CLAIMS.unitOf[p.unit]}`)));
      if (correcting) {
        // The beneficiary and the policy stay; the facts as recorded (or as a kept draft has them).
        const c = correcting.claim;
        if (c.unit === "person" && c.person_id) {
          try {
            pick((await call("person_detail", { id: c.person_id })).person, { silent: true });
          } catch (error) {
            say(general, error.message, "error", error.code);
          }
          personShown.querySelector("#claim-person-change")?.remove();
        }
        if (!kept.restore()) {
          const f = recordedFacts(correcting);
          if (c.unit !== "person") f.unitPicked = { id: correcting.subject.id, unit: c.unit, name: c.beneficiary_name };
          restoreForm(f);
        }
        policySelect.disabled = true;
        unitPicker.input.disabled = true;
        return inputs.from.focus();
      }
      recent();
      if (params.unit) {
        // From a household or group just registered: its policy chosen and the unit picked.
        policySelect.value = all.find((p) => p.unit === params.unit.unit)?.code ?? "";
        renderPolicy();
        unitPicker.pick(params.unit, { silent: true });
        showUnitNote();
        requote();
        return inputs.from.focus();
      }
      if (params.person) {
        try {
          pick((await call("person_detail", { id: params.person })).person);
        } catch (error) {
          say(general, error.message, "error", error.code);
        }
        policySelect.focus();
      } else if (kept.restore()) {
        // Back to a claim being prepared: the keyboard goes where the officer would go next.
        (person || unitPicker.value ? inputs.from : personSearch).focus();
      } else personSearch.focus();
    },
    onNew: () => (person ? policySelect.focus() : personSearch.focus()),
  };
}
