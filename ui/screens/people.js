// Người thụ hưởng: instant diacritic-insensitive search, the registry a page at a time, the add form with
// inline validation, and a person's page (documents, claims, payouts).
import { call } from "../ipc.js";
import { h, field, showErrors, message, say, put, debounce } from "../dom.js";
import { table, pager } from "../table.js";
import { APP, COMMON, ID_KINDS, PEOPLE, SEX, STATES, UNITS } from "../strings.js";
import { picker } from "../picker.js";
import { draft, hasDraft } from "../draft.js";
import { guard, loadPolicies, policy, roleNote } from "../state.js";
import * as fmt from "../format.js";

const PAGE = 100;

const idsText = (p) => p.ids.map((d) => `${ID_KINDS[d.kind] ?? d.kind} ${d.number}`).join(", ");

function peopleTable(rows, go, start = 0) {
  return table(
    "people-results",
    [
      { label: COMMON.stt, cell: (_, i) => fmt.number(i + 1), num: true },
      { label: PEOPLE.colName, cell: (p) => h("strong", {}, p.full_name) },
      { label: PEOPLE.colDob, cell: (p) => fmt.dob(p.dob) },
      { label: PEOPLE.colSex, cell: (p) => SEX[p.sex] ?? "" },
      { label: PEOPLE.colIds, cell: idsText },
      { label: PEOPLE.colGroup, cell: (p) => p.residential_group ?? "" },
      { label: PEOPLE.colAddress, cell: (p) => p.address ?? "" },
    ],
    rows,
    { onOpen: (p) => go("beneficiaries", { person: p.id }), start, rowAttrs: (p) => ({ "data-id": p.id }) },
  );
}


// Reasons that speak against one person (shown as "−"), as on Kiểm tra trùng.
const AGAINST = new Set(["id_numbers_differ", "cccd_contradicts_birth", "name_different", "dob_different", "sex_different"]);

// The duplicate engine's reasons in words, for and against.
export function reasonItems(reasons) {
  return reasons.map((r) => h("li", { "data-code": r.code, class: AGAINST.has(r.code) ? "against" : "for" }, r.text));
}

// How long typing pauses before the registry is asked who this may be.
const LOOKUP_MS = 400;

// The add form, or with `person` the edit form (prefilled; identity documents shown, not edited).
function personForm(go, { person = null, onCancel } = {}) {
  const editing = Boolean(person);
  const inputs = {
    fullName: h("input", { type: "text", autocomplete: "off" }),
    dob: h("input", { type: "text", autocomplete: "off", inputmode: "numeric", placeholder: "dd/mm/yyyy" }),
    sex: h("select", {}, h("option", { value: "" }, PEOPLE.sexUnknown), h("option", { value: "F" }, SEX.F), h("option", { value: "M" }, SEX.M)),
    cccd: h("input", { type: "text", autocomplete: "off", inputmode: "numeric" }),
    cmnd: h("input", { type: "text", autocomplete: "off", inputmode: "numeric" }),
    bhxh: h("input", { type: "text", autocomplete: "off", inputmode: "numeric" }),
    address: h("input", { type: "text", autocomplete: "off" }),
    residentialGroup: h("input", { type: "text", autocomplete: "off" }),
    phone: h("input", { type: "tel", autocomplete: "off" }),
  };
  if (editing) {
    inputs.fullName.value = person.full_name;
    inputs.dob.value = fmt.dob(person.dob);
    inputs.sex.value = person.sex ?? "";
    inputs.address.value = person.address ?? "";
    inputs.residentialGroup.value = person.residential_group ?? "";
    inputs.phone.value = person.phone ?? "";
    for (const k of ["cccd", "cmnd", "bhxh"]) delete inputs[k];
  }
  const general = message("person-message");
  const twins = h("div", { id: "person-same-name" });
  // The duplicate check at entry: who in the registry is likely this person, beside the form, and the
  // reason to register them anyway.
  const despite = h("input", { type: "text", autocomplete: "off" });
  const likelyHeading = h("h4", { id: "person-likely-heading" });
  const likelyList = h("ol", { class: "likely-list", id: "person-likely-list" });
  const panel = editing
    ? null
    : h(
        "aside",
        { class: "likely-panel", id: "person-likely", hidden: true, "aria-labelledby": "person-likely-heading", "data-count": "0" },
        likelyHeading,
        h("p", { class: "small" }, PEOPLE.likelyLead),
        likelyList,
        field("person", "despite", PEOPLE.despite, despite, { wide: true, hint: PEOPLE.despiteHint }),
      );
  let matches = [];
  // The reason asked for, kept while the fields are checked again on leaving them (that check would
  // otherwise clear it the moment the focus moves to the reason field).
  let despiteAsk = null;
  const despiteErrors = () => (despiteAsk && matches.length ? [{ field: "despite", message: despiteAsk }] : []);
  despite.addEventListener("input", () => {
    if (despite.value.trim().length >= 5) despiteAsk = null;
  });
  const value = () => ({ cccd: "", cmnd: "", bhxh: "", ...Object.fromEntries(Object.entries(inputs).map(([k, el]) => [k, el.value])) });
  // The sex as the CCCD's 4th digit says it (the core reads it), filled when the field is empty; the
  // officer may change it, and the check below still compares the two.
  const sexNote = h("small", { class: "muted", id: "person-sex-from-id", hidden: true }, PEOPLE.sexFromId);
  async function sexFromId() {
    if (editing || inputs.sex.value || !inputs.cccd.value.trim()) return;
    const birth = await call("citizen_birth", { number: inputs.cccd.value }).catch(() => null);
    if (!birth || inputs.sex.value) return;
    inputs.sex.value = birth.female ? "F" : "M";
    sexNote.hidden = false;
    kept?.changed();
  }
  inputs.sex.addEventListener("change", () => (sexNote.hidden = true));
  // What is typed is kept as a draft (add form only): across screens, a look at a likely duplicate's
  // record, and a restart.
  const kept = editing
    ? null
    : draft("person", {
        collect: () => ({ ...value(), despite: despite.value }),
        restore: (f) => {
          for (const [k, el] of Object.entries(inputs)) el.value = f[k] ?? "";
          despite.value = f.despite ?? "";
        },
        onDiscard: () => {
          for (const el of Object.values(inputs)) el.value = "";
          despite.value = "";
          sexNote.hidden = true;
          showMatches([]);
          showErrors(form, [], { general });
          inputs.fullName.focus();
        },
      });
  const form = h(
    "form",
    { class: "card wide", id: "person-form", novalidate: true, "data-mode": editing ? "edit" : "add" },
    h("h3", {}, editing ? PEOPLE.editHeading(person.full_name) : PEOPLE.formHeading),
    kept?.marker,
    h(
      "div",
      { class: "person-entry", id: "person-entry" },
      h(
      "div",
      { class: "form-grid" },
      field("person", "fullName", PEOPLE.fullName, inputs.fullName, { wide: true }),
      field("person", "dob", PEOPLE.dob, inputs.dob),
      [field("person", "sex", PEOPLE.sex, inputs.sex), sexNote],
      editing
        ? null
        : [field("person", "cccd", PEOPLE.cccd, inputs.cccd), field("person", "cmnd", PEOPLE.cmnd, inputs.cmnd), field("person", "bhxh", PEOPLE.bhxh, inputs.bhxh)],
      field("person", "phone", PEOPLE.phone, inputs.phone),
      field("person", "address", PEOPLE.address, inputs.address, { wide: true }),
      field("person", "residentialGroup", PEOPLE.residentialGroup, inputs.residentialGroup),
      ),
      panel,
    ),
    editing
      ? h("div", { class: "field wide" }, h("p", { class: "muted" }, PEOPLE.editIds), h("p", { id: "person-edit-ids" }, idsText(person) || COMMON.none))
      : null,
    twins,
    general,
    h(
      "div",
      { class: "actions" },
      h("button", { type: "submit", id: "person-save" }, COMMON.save),
      onCancel ? h("button", { type: "button", class: "secondary", id: "person-cancel", onclick: onCancel }, COMMON.cancel) : null,
    ),
  );

  // Inline validation when leaving a field: the core's checks that need no saving.
  async function check() {
    const v = value();
    try {
      const errors = await call("check_person", { form: v });
      showErrors(form, [...errors, ...despiteErrors()], { general });
    } catch (error) {
      showErrors(form, [error], { general });
    }
  }
  // People with the same name, less those already shown beside the form as likely the same person.
  let namesakes = [];
  function showTwins() {
    const shown = new Set(matches.map((m) => m.person.person));
    const found = namesakes.filter((p) => !shown.has(p.id));
    twins.replaceChildren(
        found.length
          ? h(
              "div",
              { class: "warning" },
              h("p", {}, PEOPLE.sameName(found.length)),
              h("ul", {}, found.map((p) => h("li", {}, h("a", { href: "#", onclick: (e) => (e.preventDefault(), go("beneficiaries", { person: p.id })) }, p.full_name), fmt.after(fmt.dob(p.dob), idsText(p))))),
            )
          : "",
      );
  }
  async function sameName() {
    const name = inputs.fullName.value.trim();
    try {
      namesakes = name ? await call("same_name", { name, except: person?.id ?? null }) : [];
    } catch {
      namesakes = [];
    }
    showTwins();
  }
  const entry = form.querySelector("#person-entry");
  function showMatches(found) {
    matches = found;
    showTwins();
    if (!panel) return;
    panel.hidden = !found.length;
    panel.dataset.count = String(found.length);
    entry.classList.toggle("with-panel", found.length > 0);
    likelyHeading.textContent = PEOPLE.likelyHeading(found.length);
    likelyList.replaceChildren(
      ...found.map((m) => {
        const r = m.person;
        const open = h(
          "a",
          {
            href: "#",
            class: "likely-open",
            title: PEOPLE.likelyOpenTitle(r.name),
            onclick: (e) => {
              e.preventDefault();
              go("beneficiaries", { person: r.person });
            },
          },
          r.name,
        );
        return h(
          "li",
          { class: `likely-match ${m.class}`, "data-person": r.person, "data-class": m.class },
          h("div", { class: "likely-who" }, h("strong", {}, open), h("span", { class: `badge likely-${m.class}` }, PEOPLE.likelyClass[m.class] ?? m.class)),
          h("div", { class: "small" }, fmt.parts(r.dob, idsText(r))),
          r.address ? h("div", { class: "small muted" }, r.address) : null,
          h("ul", { class: "reasons-list" }, reasonItems(m.reasons)),
        );
      }),
    );
  }
  // Asked as soon as there is a name and a birth date or a number; an answer older than the last
  // question is dropped. A field the core cannot read yet leaves the panel as it was (its own error
  // shows when the field is left).
  let lookups = 0;
  async function lookup() {
    if (editing) return;
    const v = value();
    const mine = ++lookups;
    const ready = v.fullName.trim() && [v.dob, v.cccd, v.cmnd, v.bhxh].some((x) => x.trim());
    if (!ready) return showMatches([]);
    try {
      const found = await call("person_duplicates", { form: v });
      if (mine === lookups) showMatches(found);
    } catch {
      /* shown at its field by check() */
    }
  }
  const lookupSoon = debounce(lookup, LOOKUP_MS);
  for (const [name, el] of Object.entries(inputs)) {
    el.addEventListener(el.tagName === "SELECT" ? "change" : "input", () => kept?.changed());
    el.addEventListener(el.tagName === "SELECT" ? "change" : "blur", async () => {
      if (name === "cccd") await sexFromId();
      if (name === "fullName") sameName();
      else check();
      if (["fullName", "dob", "sex", "cccd", "cmnd", "bhxh"].includes(name)) lookup();
    });
    if (["fullName", "dob", "cccd", "cmnd", "bhxh"].includes(name)) el.addEventListener("input", lookupSoon);
  }
  despite.addEventListener("input", () => kept?.changed());
  // Back from another screen, a likely duplicate's record or a restart: what was typed is still there.
  if (kept?.restore()) lookup();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const v = value();
    try {
      if (editing) {
        const after = await call("update_person", { id: person.id, form: v });
        go("beneficiaries", { person: after.id, saved: PEOPLE.editSaved(after.full_name) });
      } else {
        // Enter never saves past the warning: with likely duplicates shown, a reason is asked for first.
        const reason = despite.value.trim();
        if (matches.length && reason.length < 5) {
          despiteAsk = reason ? PEOPLE.despiteShort : PEOPLE.despiteNeeded;
          showErrors(form, despiteErrors(), { general });
          despite.focus();
          return;
        }
        const added = await call("add_person", { form: v, despite: matches.length ? reason : null });
        await kept.saved();
        go("beneficiaries", { person: added.id, saved: PEOPLE.saved(added.full_name) });
      }
    } catch (error) {
      if (error.code === "likely_duplicate") {
        // Saved before the panel had its answer: show who, and ask for the reason.
        await lookup();
        if (!matches.length) return showErrors(form, [{ ...error, field: undefined }], { general });
        despiteAsk = PEOPLE.despiteNeeded;
        showErrors(form, despiteErrors(), { general });
        despite.focus();
        return;
      }
      (showErrors(form, [error], { general }) ?? inputs.fullName).focus();
    }
  });
  return { form, focus: () => inputs.fullName.focus() };
}

// A person to pick as a household's head or a group's owner.
export function personPicker(id, onPick) {
  return picker({
    id,
    placeholder: UNITS.ownerSearch,
    changeLabel: UNITS.ownerChange,
    search: (q) => call("search_people", { query: q }),
    hit: (p) => [h("strong", {}, p.full_name), fmt.after(fmt.dob(p.dob), p.ids.map((d) => d.number).join(", "))],
    shown: (p) => [h("strong", { id: `${id}-name` }, p.full_name), fmt.after(fmt.dob(p.dob), idsText(p))],
    onPick,
  });
}

// Registers a household business (unit = "household") or a preschool group ("group").
function unitForm(unit, go, onDone) {
  const household = unit === "household";
  const prefix = household ? "household" : "group";
  const inputs = {
    name: h("input", { type: "text", autocomplete: "off" }),
    taxCode: household ? h("input", { type: "text", autocomplete: "off", inputmode: "numeric" }) : null,
    address: h("input", { type: "text", autocomplete: "off" }),
  };
  // Picking the owner is kept in the draft too (the picker's search text is not what counts).
  const owner = personPicker(`${prefix}-owner`, () => kept.changed());
  const ownerField = field(prefix, "owner", household ? UNITS.head : UNITS.owner, owner.input, { wide: true });
  ownerField.insertBefore(owner.el, ownerField.querySelector(".field-error"));
  const general = message(`${prefix}-message`);
  const after = h("div", { id: `${prefix}-after` });
  const kept = draft(prefix, {
    collect: () => ({ name: inputs.name.value, taxCode: inputs.taxCode?.value ?? "", address: inputs.address.value, picked: owner.value }),
    restore: (f) => {
      inputs.name.value = f.name ?? "";
      if (inputs.taxCode) inputs.taxCode.value = f.taxCode ?? "";
      inputs.address.value = f.address ?? "";
      if (f.picked) owner.pick(f.picked, { silent: true });
    },
    onDiscard: () => {
      for (const el of Object.values(inputs)) if (el) el.value = "";
      owner.clear();
      inputs.name.focus();
    },
  });
  const form = h(
    "form",
    { class: "card wide", id: `${prefix}-form`, novalidate: true },
    h("h3", {}, household ? UNITS.householdHeading : UNITS.groupHeading),
    kept.marker,
    h(
      "div",
      { class: "form-grid" },
      field(prefix, "name", household ? UNITS.householdName : UNITS.groupName, inputs.name, { wide: true }),
      ownerField,
      household ? field(prefix, "taxCode", UNITS.taxCode, inputs.taxCode) : null,
      field(prefix, "address", UNITS.address, inputs.address, { wide: true }),
    ),
    general,
    after,
    h("div", { class: "actions" }, h("button", { type: "submit", id: `${prefix}-save` }, COMMON.save), h("button", { type: "button", class: "secondary", onclick: onDone }, COMMON.close)),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!inputs.name.value.trim()) return showErrors(form, [{ field: "name", message: COMMON.required }], { general })?.focus();
    const name = inputs.name.value.trim();
    try {
      let id;
      if (household) {
        const form = { name, headId: owner.value?.id ?? "", taxCode: inputs.taxCode.value, address: inputs.address.value };
        id = (await call("add_household", { form })).id;
      } else {
        id = await call("add_group", { form: { name, ownerId: owner.value?.id ?? "", address: inputs.address.value } });
      }
      showErrors(form, [], { general });
      await kept.saved();
      say(general, UNITS.saved(household ? UNITS.household : UNITS.group, name), "ok");
      const row = { id, unit, name, owner_name: owner.value?.full_name ?? null };
      after.replaceChildren(h("button", { type: "button", id: `${prefix}-new-claim`, onclick: () => go("claims", { unit: row }) }, UNITS.newClaim));
      after.querySelector("button").focus();
    } catch (error) {
      (showErrors(form, [error], { general }) ?? inputs.name).focus();
    }
  });
  form.addEventListener("input", () => kept.changed());
  kept.restore();
  return { form, focus: () => inputs.name.focus() };
}

function personPage(id, go, saved) {
  const el = h("div", { id: "person-page" }, h("p", { class: "muted" }, APP.loading));
  (async () => {
    try {
      await loadPolicies();
      const d = await call("person_detail", { id });
      const p = d.person;
      const title = (code) => policy(code)?.title ?? code;
      const newClaim = h("button", { type: "button", id: "person-new-claim", onclick: () => go("claims", { person: p.id }) }, PEOPLE.newClaim);
      const editSlot = h("div", { id: "person-edit-slot" });
      const edit = h("button", { type: "button", class: "secondary", id: "person-edit" }, PEOPLE.edit);
      guard("record", "record", newClaim, edit);
      edit.addEventListener("click", () => {
        const f = personForm(go, { person: p, onCancel: () => (editSlot.replaceChildren(), edit.focus()) });
        editSlot.replaceChildren(f.form);
        f.focus();
      });
      put(el,
        h("p", {}, h("a", { href: "#", id: "person-back", onclick: (e) => (e.preventDefault(), go("beneficiaries", hasDraft("person") ? { add: true } : {})) }, COMMON.back)),
        saved ? h("p", { class: "message ok", id: "person-saved", role: "status" }, saved) : null,
        editSlot,
        h(
          "section",
          { class: "card wide" },
          h("h3", { id: "person-name" }, p.full_name),
          h(
            "dl",
            { class: "pairs" },
            h("dt", {}, PEOPLE.colDob),
            h("dd", { id: "person-dob" }, fmt.dob(p.dob) || COMMON.none),
            h("dt", {}, PEOPLE.colSex),
            h("dd", {}, SEX[p.sex] ?? COMMON.none),
            h("dt", {}, PEOPLE.address),
            h("dd", {}, p.address ?? COMMON.none),
            h("dt", {}, PEOPLE.residentialGroup),
            h("dd", {}, p.residential_group ?? COMMON.none),
            h("dt", {}, PEOPLE.phone),
            h("dd", {}, p.phone ?? COMMON.none),
          ),
          h("div", { class: "actions" }, newClaim, edit),
        ),
        h(
          "section",
          { class: "card wide" },
          h("h3", {}, PEOPLE.detailIds),
          p.ids.length
            ? table("person-ids", [{ label: PEOPLE.colKind, cell: (x) => ID_KINDS[x.kind] ?? x.kind }, { label: PEOPLE.colNumber, cell: (x) => x.number }], p.ids)
            : h("p", { class: "muted" }, PEOPLE.noIds),
        ),
        h(
          "section",
          { class: "card wide" },
          h("h3", {}, PEOPLE.detailClaims),
          d.claims.length
            ? table(
                "person-claims",
                [
                  { label: PEOPLE.colPolicy, cell: (c) => title(c.policy) },
                  { label: PEOPLE.colAmount, cell: (c) => fmt.money(c.amount), num: true },
                  { label: PEOPLE.colState, cell: (c) => STATES[c.status] ?? c.status },
                  { label: PEOPLE.colRecorded, cell: (c) => `${c.recorded_by}, ${fmt.dateTime(c.recorded_at)}` },
                ],
                d.claims,
              )
            : h("p", { class: "muted" }, PEOPLE.noClaims),
        ),
        h(
          "section",
          { class: "card wide" },
          h("h3", {}, PEOPLE.detailPayouts),
          d.payouts.length
            ? table(
                "person-payouts",
                [
                  { label: PEOPLE.colPaidOn, cell: (x) => fmt.date(x.paid_on) },
                  { label: PEOPLE.colPolicy, cell: (x) => title(x.policy) },
                  { label: PEOPLE.colAmount, cell: (x) => fmt.money(x.amount), num: true },
                  { label: PEOPLE.colOfficer, cell: (x) => x.officer },
                  { label: PEOPLE.colStatus, cell: (x) => (x.reversed ? PEOPLE.reversed(x.reversal_reason) : PEOPLE.live) },
                ],
                d.payouts,
              )
            : h("p", { class: "muted" }, PEOPLE.noPayouts),
        ),
      );
      newClaim.focus();
    } catch (error) {
      el.replaceChildren(h("p", { class: "message error", "data-code": error.code }, error.message));
    }
  })();
  return el;
}

export function people({ go, params }) {
  if (params.person) return { el: personPage(params.person, go, params.saved), onNew: () => go("beneficiaries", { add: true }) };

  const search = h("input", { type: "search", id: "people-search", placeholder: PEOPLE.search, "aria-label": PEOPLE.search, autocomplete: "off", spellcheck: "false" });
  const count = h("p", { class: "muted", id: "people-count", role: "status" });
  const results = h("div", { id: "people-list" });
  const addButton = h("button", { type: "button", id: "person-add" }, PEOPLE.add);
  const householdButton = h("button", { type: "button", class: "secondary", id: "household-add" }, PEOPLE.householdAdd);
  const groupButton = h("button", { type: "button", class: "secondary", id: "group-add" }, PEOPLE.groupAdd);
  guard("record", "record", addButton, householdButton, groupButton);
  const formSlot = h("div", {});
  let form = null;
  function openUnit(unit) {
    form = null;
    const f = unitForm(unit, go, () => formSlot.replaceChildren());
    formSlot.replaceChildren(f.form);
    f.focus();
  }
  householdButton.addEventListener("click", () => openUnit("household"));
  // A household or group being entered (a draft kept) is on screen again at once.
  const unitDraft = ["household", "group"].find(hasDraft);
  groupButton.addEventListener("click", () => openUnit("group"));

  function openForm() {
    if (!form) {
      form = personForm(go);
      formSlot.replaceChildren(form.form);
    }
    form.focus();
  }
  addButton.addEventListener("click", openForm);

  let seq = 0;
  async function page(offset) {
    const mine = ++seq;
    const data = await call("people_page", { offset });
    if (mine !== seq) return;
    count.textContent = PEOPLE.results(fmt.number(data.total));
    results.replaceChildren(
      peopleTable(data.people, go, offset),
      pager("people-pager", { offset, count: data.people.length, total: data.total, size: PAGE }, page, fmt.number),
    );
  }
  async function run() {
    const q = search.value.trim();
    if (!q) return page(0);
    const mine = ++seq;
    try {
      const found = await call("search_people", { query: q });
      if (mine !== seq) return;
      // The core answers at most PAGE people: a full page means there may be more.
      count.textContent = !found.length ? PEOPLE.noResults : found.length >= PAGE ? PEOPLE.resultsCapped(fmt.number(found.length)) : PEOPLE.results(fmt.number(found.length));
      results.replaceChildren(found.length ? peopleTable(found, go) : "");
    } catch (error) {
      count.textContent = error.message;
    }
  }
  // Every keystroke searches at once; an answer that arrives after a newer one is dropped (seq).
  search.addEventListener("input", run);
  search.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "Enter") {
      const first = results.querySelector("tbody tr");
      if (first) {
        event.preventDefault();
        first.focus();
      }
    }
  });

  const el = h(
    "div",
    {},
    h("div", { class: "toolbar" }, search, h("kbd", { class: "muted" }, PEOPLE.searchHint), addButton, householdButton, groupButton),
    roleNote("record", "people-role-note"),
    formSlot,
    count,
    results,
  );
  return {
    el,
    ready: () => {
      run();
      // A person being entered (a draft kept) is on screen again at once.
      if ((params.add || hasDraft("person")) && !addButton.disabled) openForm();
      else if (unitDraft && !householdButton.disabled) openUnit(unitDraft);
      else search.focus();
    },
    onNew: () => addButton.disabled || openForm(),
    focusSearch: () => {
      search.focus();
      search.select();
    },
  };
}
