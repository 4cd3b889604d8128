// The one door to the app's commands. Every failure comes out as { code, message }, message in Vietnamese.
// `sign_in_required` (nobody signed in, or signed out after the idle time) also goes to the handler the
// shell registers, which shows the sign-in screen.
import { ERRORS } from "./strings.js";

let onSignInRequired = null;

export function whenSignInRequired(handler) {
  onSignInRequired = handler;
}

// The app has signed the operator out itself (after a restore): the sign-in screen, saying `note`.
export function requireSignIn(note, kind = "warning") {
  onSignInRequired?.(note, kind);
}

export async function call(command, args = {}) {
  const invoke = window.__TAURI__?.core?.invoke;
  if (typeof invoke !== "function") {
    throw { code: "no_backend", message: ERRORS.noBackend };
  }
  try {
    return await invoke(command, args);
  } catch (error) {
    if (error && typeof error === "object" && typeof error.code === "string" && typeof error.message === "string") {
      if (error.code === "sign_in_required") onSignInRequired?.(error);
      throw error;
    }
    console.error(`command ${command} failed`, error);
    throw { code: "unexpected", message: ERRORS.unexpected };
  }
}
