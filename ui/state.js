// What the whole UI shares: the office, its operators, the rule pack, and the current operator.
import { call } from "./ipc.js";

const KEY = "relief.operator";

export const state = {
  office: null,
  operators: [],
  pack: null,
  policies: [],
  operator: localStorage.getItem(KEY) || "",
  listeners: new Set(),
};

export async function refreshStatus() {
  const status = await call("office_status");
  state.office = status.office;
  state.operators = status.operators;
  state.pack = status.pack;
  if (!state.operators.some((o) => o.name === state.operator)) {
    setOperator(state.operators.find((o) => o.role === "admin")?.name ?? state.operators[0]?.name ?? "");
  }
  for (const f of state.listeners) f();
  return status;
}

export async function loadPolicies() {
  if (!state.policies.length) state.policies = await call("policies");
  return state.policies;
}

export function policy(code) {
  return state.policies.find((p) => p.code === code);
}

export function setOperator(name) {
  state.operator = name;
  if (name) localStorage.setItem(KEY, name);
  for (const f of state.listeners) f();
}
