// The one door to the app's commands. Every failure comes out as { code, message }, message in Vietnamese.
import { ERRORS } from "./strings.js";

export async function call(command, args = {}) {
  const invoke = window.__TAURI__?.core?.invoke;
  if (typeof invoke !== "function") {
    throw { code: "no_backend", message: ERRORS.noBackend };
  }
  try {
    return await invoke(command, args);
  } catch (error) {
    if (error && typeof error === "object" && typeof error.code === "string" && typeof error.message === "string") {
      throw error;
    }
    console.error(`command ${command} failed`, error);
    throw { code: "unexpected", message: ERRORS.unexpected };
  }
}
