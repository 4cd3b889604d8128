// What the whole UI shares: the office, who is signed in, the operators, the rule pack, and what the
// signed-in operator's role may do.
import { call } from "./ipc.js";
import { h } from "./dom.js";
import { ROLE_NOTES, ROLES } from "./strings.js";

export const state = {
  office: null,
  // How the office's names are shown and printed (the core's `Office::names`), and whether an admin may
  // still correct them (until the first list is approved).
  names: null,
  officeCorrectable: false,
  // { name, role, idleSeconds } of the operator signed in, or null. The app binds every write to this
  // operator itself; the UI only uses it to say who is signed in and to offer what their role may do.
  session: null,
  // A ledger made before sign-in existed: its admin must set the first password.
  needsFirstPassword: false,
  operators: [],
  pack: null,
  policies: [],
  listeners: new Set(),
};

// Takes what `office_status` (or a sign-in) answered.
export function applyStatus(status) {
  state.office = status.office;
  state.names = status.names ?? null;
  state.officeCorrectable = Boolean(status.officeCorrectable);
  state.session = status.session ?? null;
  state.needsFirstPassword = Boolean(status.needsFirstPassword);
  state.operators = status.operators ?? [];
  state.pack = status.pack;
  for (const f of state.listeners) f();
  return status;
}

export async function refreshStatus() {
  return applyStatus(await call("office_status"));
}

// Nobody is signed in any more: forget what only a signed-in operator may see.
export function forgetSession() {
  state.session = null;
  state.operators = [];
  for (const f of state.listeners) f();
}

export async function loadPolicies() {
  if (!state.policies.length) state.policies = await call("policies");
  return state.policies;
}

export function policy(code) {
  return state.policies.find((p) => p.code === code);
}

// Who may do what (the core's roles; it refuses anything else whatever the UI offers).
const MAY = {
  record: ["officer", "admin"],
  approve: ["approver", "admin"],
  reverse: ["approver", "admin"],
  pay: ["officer", "accountant", "admin"],
  decide: ["auditor", "admin"],
  admin: ["admin"],
};

export function can(action) {
  return Boolean(state.session && MAY[action]?.includes(state.session.role));
}

// The signed-in operator's name and role in words, for the notes that say why a button is disabled.
export function whoAmI() {
  const s = state.session;
  return s ? [s.name, ROLES[s.role] ?? s.role] : ["", ""];
}

// A note saying why what follows is disabled for the signed-in role (`note`: which of ROLE_NOTES), or
// null when the role may do `action`.
export function roleNote(action, id, note = action) {
  return can(action) ? null : h("p", { class: "warning-text role-note", id }, ROLE_NOTES[note](...whoAmI()));
}

// Disables `buttons` for a role that may not do `action`, saying why in their tooltip.
export function guard(action, note, ...buttons) {
  if (can(action)) return;
  for (const b of buttons) {
    b.disabled = true;
    b.title = ROLE_NOTES[note](...whoAmI());
  }
}
