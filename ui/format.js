// vi-VN formatting, written out so it does not depend on the webview's locale data:
// 1.855.000 đ, dd/mm/yyyy, Vietnam time (UTC+7, no daylight saving), and amounts in words.
import { WORDS } from "./strings.js";

export function number(n) {
  const sign = n < 0 ? "-" : "";
  const digits = String(Math.abs(Math.trunc(Number(n) || 0)));
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
}

export function money(n) {
  return `${number(n)} đ`;
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

// Today in Vietnam for a signed document's place-and-date line, as Decree 30/2020/NĐ-CP writes it:
// a day below 10 and a month below 3 take a leading zero ("ngày 05 tháng 02", "ngày 24 tháng 11").
export function todayParts() {
  const d = new Date(Date.now() + VN_OFFSET_MS);
  const month = d.getUTCMonth() + 1;
  return { day: pad(d.getUTCDate()), month: month < 3 ? pad(month) : String(month), year: String(d.getUTCFullYear()) };
}

// A person's date of birth as the core sends it: { precision: "day", date } or { precision: "year", date: 1980 }.
export function dob(value) {
  if (!value) return "";
  return value.precision === "year" ? String(value.date) : date(value.date);
}

function triple(n, full) {
  const d = WORDS.digits;
  const h = Math.floor(n / 100);
  const t = Math.floor(n / 10) % 10;
  const u = n % 10;
  const out = [];
  if (h > 0 || full) out.push(d[h], WORDS.hundred);
  if (t === 0) {
    if (u > 0 && (h > 0 || full)) out.push(WORDS.odd);
  } else if (t === 1) out.push(WORDS.ten);
  else out.push(d[t], WORDS.tens);
  if (u > 0) {
    if (u === 1 && t > 1) out.push(WORDS.one);
    else if (u === 5 && t > 0) out.push(WORDS.five);
    else out.push(d[u]);
  }
  return out.join(" ");
}

// 1855000 → "Một triệu tám trăm năm mươi lăm nghìn đồng".
export function inWords(amount) {
  let n = Math.trunc(Math.abs(Number(amount) || 0));
  if (n === 0) return WORDS.zero;
  const groups = [];
  while (n > 0) {
    groups.push(n % 1000);
    n = Math.floor(n / 1000);
  }
  const parts = [];
  for (let i = groups.length - 1; i >= 0; i--) {
    if (groups[i] === 0) continue;
    parts.push(triple(groups[i], parts.length > 0), WORDS.units[i] ?? "");
  }
  const text = `${parts.filter(Boolean).join(" ")} ${WORDS.currency}`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}
