// Which module draws which screen. Each returns { el, ready?, onNew?, focusSearch? }.
import { h } from "./dom.js";
import { COMING } from "./strings.js";
import { overview } from "./screens/overview.js";
import { people } from "./screens/people.js";
import { claims } from "./screens/claims.js";
import { lists } from "./screens/lists.js";
import { payouts } from "./screens/payouts.js";
import { audit } from "./screens/audit.js";
import { transfer } from "./screens/transfer.js";
import { settings } from "./screens/settings.js";

function comingSoon(screen) {
  return h(
    "section",
    { class: "card coming", "aria-labelledby": `coming-${screen.id}` },
    h("p", { class: "badge", id: `coming-${screen.id}` }, COMING.badge),
    h("p", {}, COMING.lead),
    h("ul", {}, screen.coming.map((line) => h("li", {}, line))),
  );
}

const SCREENS = { overview, beneficiaries: people, claims, lists, payouts, "import-export": transfer, audit, settings };

export function renderScreen(screen, ctx) {
  const body = SCREENS[screen.id]?.(ctx) ?? { el: comingSoon(screen) };
  const el = h(
    "article",
    { class: "screen", id: `screen-${screen.id}`, "data-screen": screen.id },
    h("h2", { id: "screen-title" }, screen.title),
    body.el,
  );
  return { ...body, el };
}
