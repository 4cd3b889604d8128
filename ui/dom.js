// A tiny element builder: text goes in as text nodes, never as HTML.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  return fill(el, attrs, children);
}

// The same for SVG (the overview's chart): attributes only, no inline styles (the CSP forbids them).
export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS("http://www.w3.org/2000/svg", tag);
  return fill(el, attrs, children);
}

function fill(el, attrs, children) {
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.setAttribute("class", value);
    else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

// A labelled input with a place for its error right under it. `name` is the form field the
// app's errors name; the input's id is `${prefix}-${name}`.
export function field(prefix, name, label, input, { wide = false, hint } = {}) {
  input.id = `${prefix}-${name}`;
  input.dataset.field = name;
  input.setAttribute("aria-describedby", `${prefix}-${name}-error`);
  return h(
    "div",
    { class: wide ? "field wide" : "field", "data-field-wrap": name },
    h("label", { for: input.id }, label),
    input,
    hint ? h("small", { class: "muted" }, hint) : null,
    h("p", { class: "field-error", id: `${prefix}-${name}-error`, role: "alert", "data-error-for": name }),
  );
}

// Shows `errors` ({field, message}) next to their fields in `form`; the rest in the form's message line.
// Returns the first input that has an error, so the caller can focus it. Typed data is never touched.
export function showErrors(form, errors, { general } = {}) {
  for (const p of form.querySelectorAll(".field-error")) p.textContent = "";
  for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  let first = null;
  const rest = [];
  for (const e of errors) {
    const slot = e.field && form.querySelector(`[data-error-for="${CSS.escape(e.field)}"]`);
    if (slot) {
      slot.textContent = slot.textContent ? `${slot.textContent} ${e.message}` : e.message;
      const input = form.querySelector(`[data-field="${CSS.escape(e.field)}"]`);
      if (input) {
        input.setAttribute("aria-invalid", "true");
        first ??= input;
      }
    } else rest.push(e);
  }
  if (general) {
    general.textContent = rest.map((e) => e.message).join(" ");
    general.dataset.code = rest[0]?.code ?? "";
    general.className = rest.length ? "message error" : "message";
  }
  return first;
}

// A one-line message area (role=status) that says what just happened, or what went wrong.
export function message(id) {
  return h("p", { id, class: "message", role: "status", "aria-live": "polite" });
}

export function say(el, text, kind = "ok", code = "") {
  el.textContent = text;
  el.className = `message ${kind}`;
  el.dataset.code = code;
}

// Replaces an element's children, skipping null/false/undefined (replaceChildren would write "null").
export function put(el, ...children) {
  el.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}

export function debounce(fn, ms) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
