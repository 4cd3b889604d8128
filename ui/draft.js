// Drafts: what the officer typed in a form and has not saved, kept by the app beside the ledger (per
// operator, never a password) while they move between screens and across a restart. A form with a draft
// shows "Bản nháp" with when it was kept and a button to discard it; saving the form discards it.
import { call } from "./ipc.js";
import { h } from "./dom.js";
import { DRAFT } from "./strings.js";
import * as fmt from "./format.js";

// form key → { saved_at, fields } for the operator signed in; loaded once after sign-in.
let drafts = {};

export async function loadDrafts() {
  try {
    drafts = (await call("drafts")) ?? {};
  } catch {
    drafts = {};
  }
}

// Nothing of the last operator's drafts stays in the page once they sign out.
export function forgetDrafts() {
  drafts = {};
}

// Drafts with typing not yet handed to the app (kept a moment after the last keystroke).
const pending = new Set();

// Keeps every pending draft now: the screen is about to change, and the next form must find what was
// typed a moment ago.
export function flushDrafts() {
  return Promise.all([...pending].map((flush) => flush()));
}

export function hasDraft(key) {
  return Boolean(drafts[key]);
}

// Every field of `form` that holds typed text, by its data-field (passwords never).
export function fieldsOf(form) {
  const out = {};
  for (const el of form.querySelectorAll("[data-field]")) {
    if (el.type === "password" || el.disabled) continue;
    if (el.type === "checkbox" || el.type === "radio") out[el.dataset.field] = el.checked;
    else out[el.dataset.field] = el.value;
  }
  return out;
}

// Puts `fields` back into `form`'s inputs by data-field.
export function fillForm(form, fields) {
  for (const el of form.querySelectorAll("[data-field]")) {
    if (!(el.dataset.field in fields) || el.type === "password") continue;
    if (el.type === "checkbox" || el.type === "radio") el.checked = Boolean(fields[el.dataset.field]);
    else el.value = fields[el.dataset.field] ?? "";
  }
}

// A form's draft. `collect()` gives what to keep; `restore(fields)` puts a kept draft back; `onDiscard()`
// empties the form when the officer discards the draft. Call `changed()` on every edit, `saved()` once
// the form's record is saved. `marker` is the "Bản nháp" line to place in the form.
export function draft(key, { collect, restore, onDiscard }) {
  const when = h("span", { class: "draft-when" });
  const discard = h("button", { type: "button", class: "secondary small", id: `${key.replace(/[^a-z0-9-]/gi, "-")}-draft-discard` }, DRAFT.discard);
  const marker = h(
    "p",
    { class: "draft-marker", id: `${key.replace(/[^a-z0-9-]/gi, "-")}-draft`, role: "status", hidden: true, title: DRAFT.title },
    h("strong", {}, DRAFT.label),
    " ",
    when,
    " ",
    discard,
  );
  function show(kept) {
    marker.hidden = !kept;
    when.textContent = kept ? DRAFT.kept(fmt.dateTime(kept.saved_at)) : "";
  }
  let seq = 0;
  let timer = null;
  async function save() {
    clearTimeout(timer);
    pending.delete(save);
    const mine = ++seq;
    const fields = collect();
    // Known at once to a form opened next (the app's answer comes a moment later).
    drafts[key] = { saved_at: new Date().toISOString(), fields };
    try {
      const kept = await call("save_draft", { form: key, fields });
      if (mine !== seq) return;
      if (kept) drafts[key] = kept;
      else delete drafts[key];
      show(kept);
    } catch {
      // Not kept this time (a full disk says so when saving the form); what is typed stays on screen.
    }
  }
  function keep() {
    clearTimeout(timer);
    pending.add(save);
    timer = setTimeout(save, 400);
  }
  async function drop() {
    seq++;
    clearTimeout(timer);
    pending.delete(save);
    delete drafts[key];
    show(null);
    await call("save_draft", { form: key, fields: null }).catch(() => {});
  }
  discard.addEventListener("click", async () => {
    await drop();
    onDiscard?.();
  });
  const kept = drafts[key];
  return {
    marker,
    // Puts the kept draft back into the form (when there is one); true when it did.
    restore() {
      if (!kept) return false;
      restore(kept.fields);
      show(kept);
      return true;
    },
    changed: keep,
    saved: drop,
  };
}
