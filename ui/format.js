// vi-VN formatting, written out so it does not depend on the webview's locale data:
// 1.855.000 đ, dd/mm/yyyy, Vietnam time (UTC+7, no daylight saving). Amounts in words are the core's
// (on the sheets it prints).
import { COMMON } from "./strings.js";

export function number(n) {
  const sign = n < 0 ? "-" : "";
  const digits = String(Math.abs(Math.trunc(Number(n) || 0)));
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
}

export function money(n) {
  return COMMON.money(number(n));
}

// The non-empty parts of a line, joined with " · " (no dangling separator when a part is missing).
export function parts(...items) {
  return items.filter((t) => t !== null && t !== undefined && t !== "").join(" · ");
}

// The same parts after a name: " · a · b", or nothing when every part is empty.
export function after(...items) {
  const text = parts(...items);
  return text ? ` · ${text}` : "";
}

// "2021-07-01" (or a full timestamp's date part) → "01/07/2021".
export function date(iso) {
  if (!iso) return "";
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

const VN_OFFSET_MS = 7 * 60 * 60 * 1000;
const pad = (n) => String(n).padStart(2, "0");

// A stored UTC time → "dd/mm/yyyy hh:mm", Vietnam time.
export function dateTime(ts) {
  const t = Date.parse(ts);
  if (Number.isNaN(t)) return ts ?? "";
  const d = new Date(t + VN_OFFSET_MS);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

// A stored UTC time → its date in Vietnam, dd/mm/yyyy.
export function vnDate(ts) {
  return dateTime(ts).split(" ")[0];
}

// Today in Vietnam, dd/mm/yyyy.
export function today() {
  const d = new Date(Date.now() + VN_OFFSET_MS);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}

// A person's date of birth as the core sends it: { precision: "day", date } or { precision: "year", date: 1980 }.
export function dob(value) {
  if (!value) return "";
  return value.precision === "year" ? String(value.date) : date(value.date);
}

// Ids are UUID v7: their first characters are only the time they were made, so two records made close
// together look alike there. The last 12 characters (the random part) tell them apart. Anything else is
// shown whole.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const shortId = (id) => (UUID.test(String(id)) ? `…${String(id).slice(-12)}` : String(id ?? ""));
