// Which module draws which screen. Each returns { el, ready?, onNew?, focusSearch? }.
import { h } from "./dom.js";
import { overview } from "./screens/overview.js";
import { people } from "./screens/people.js";
import { claims } from "./screens/claims.js";
import { lists } from "./screens/lists.js";
import { payouts } from "./screens/payouts.js";
import { audit } from "./screens/audit.js";
import { transfer } from "./screens/transfer.js";
import { duplicates } from "./screens/duplicates.js";
import { settings } from "./screens/settings.js";

const SCREENS = { overview, beneficiaries: people, claims, lists, payouts, "import-export": transfer, duplicates, audit, settings };

export function renderScreen(screen, ctx) {
  const body = SCREENS[screen.id](ctx);
  const el = h(
    "article",
    { class: "screen", id: `screen-${screen.id}`, "data-screen": screen.id },
    h("h2", { id: "screen-title" }, screen.title),
    body.el,
  );
  return { ...body, el };
}
