/**
 * perstore studio: `<perstore-studio>`, a plain web component (no framework:
 * the screens are a few tables and forms, and a dependency-free bundle of a
 * few kilobytes is the easiest to ship and keep). It reads what the signed-in
 * role may see from /openapi.json and talks only to the REST endpoints.
 */
import { Api, ApiError } from "./api.js";
import type { ScreenContext } from "./context.js";
import { fill, h } from "./dom.js";
import { LiveFeed } from "./live.js";
import { modelsOf, type ModelInfo } from "./models.js";
import { modelsScreen } from "./models-screen.js";
import { recordScreen } from "./record-screen.js";
import { migrationsScreen } from "./migrations-screen.js";
import { MIGRATIONS_HASH, parseRoute, tableHash } from "./route.js";
import { tableScreen } from "./table-screen.js";

class PerstoreStudio extends HTMLElement {
  /** The REST root: the studio is served at <root>/_studio/. */
  private readonly api = new Api(new URL("../", location.href).href);
  private models: ModelInfo[] = [];
  private readonly live = new LiveFeed(this.api);
  private shown = 0;
  /** What the screen shown must stop when it is left. */
  private leaving: (() => void)[] = [];
  private readonly main = h("main", { id: "content", tabindex: -1 });
  private readonly nav = h("nav", { class: "model-nav", "aria-label": "Models" });
  private readonly account = h("div", { class: "account" });

  connectedCallback(): void {
    fill(
      this,
      h(
        "a",
        {
          class: "skip",
          href: "#content",
          onclick: (event: Event) => (event.preventDefault(), this.main.focus()),
        },
        "Skip to content",
      ),
      h("header", {}, h("a", { class: "brand", href: "#/" }, "perstore studio"), this.account),
      h("div", { class: "layout" }, this.nav, this.main),
    );
    window.addEventListener("hashchange", () => void this.show());
    document.addEventListener("keydown", (event) => {
      // "/" jumps to the query bar, as in most data tools, unless typing somewhere.
      const target = event.target as HTMLElement;
      if (event.key === "/" && !/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) {
        const bar = this.querySelector<HTMLInputElement>("input.rql");
        if (bar) (event.preventDefault(), bar.focus());
      }
    });
    void this.signedIn();
  }

  /** (Re)reads the role's models, after start-up and after signing in or out. */
  private async signedIn(): Promise<void> {
    // A stream opened with the previous token must not go on as the new one.
    this.live.stop();
    this.drawAccount();
    try {
      this.models = modelsOf(await this.api.openapi());
    } catch (error) {
      this.models = [];
      fill(this.nav);
      const message =
        error instanceof ApiError && error.status === 401
          ? this.api.token
            ? "The server refused this token: sign in with another, or sign out."
            : "Sign in with a token: this server lets no one in without one."
          : error instanceof ApiError
            ? `${error.code}: ${error.message}`
            : String(error);
      fill(
        this.main,
        h("h1", {}, "perstore studio"),
        h("p", { class: "error", role: "alert" }, message),
      );
      return;
    }
    fill(
      this.nav,
      h(
        "ul",
        {},
        this.models.map((model) =>
          h("li", {}, h("a", { href: tableHash(model.name) }, model.name)),
        ),
      ),
    );
    // The migration status, for roles the server lets read it (a HEAD: nothing is computed).
    if (await this.api.canReadMigrations())
      this.nav.append(
        h("p", { class: "nav-extra" }, h("a", { href: MIGRATIONS_HASH }, "Migrations")),
      );
    await this.show();
  }

  private drawAccount(): void {
    if (this.api.token) {
      fill(
        this.account,
        h("span", { class: "who" }, "Signed in with a token"),
        h(
          "button",
          {
            type: "button",
            class: "sign-out",
            onclick: () => ((this.api.token = null), void this.signedIn()),
          },
          "Sign out",
        ),
      );
      return;
    }
    const token = h("input", {
      type: "password",
      name: "token",
      "aria-label": "Token",
      placeholder: "token",
      autocomplete: "off",
    });
    fill(
      this.account,
      h(
        "form",
        {
          class: "sign-in",
          onsubmit: (event: Event) => (
            event.preventDefault(),
            (this.api.token = token.value.trim() || null),
            void this.signedIn()
          ),
        },
        token,
        h("button", { type: "submit" }, "Sign in"),
      ),
    );
  }

  /** Draws the screen the location names; an earlier screen still loading stops drawing. */
  private async show(): Promise<void> {
    const ticket = ++this.shown;
    for (const stop of this.leaving.splice(0)) stop();
    this.live.detach();
    const context: ScreenContext = {
      api: this.api,
      models: this.models,
      live: this.live,
      current: () => ticket === this.shown,
      onLeave: (stop) => {
        if (ticket === this.shown) this.leaving.push(stop);
        else stop();
      },
      navigate: (hash) => {
        if (location.hash === hash) void this.show();
        else location.hash = hash;
      },
    };
    const route = parseRoute(location.hash);
    if (route.screen !== "table") this.live.stop();
    for (const link of this.nav.querySelectorAll("a"))
      link.toggleAttribute(
        "aria-current",
        ("model" in route && link.textContent === route.model) ||
          (route.screen === "migrations" && link.getAttribute("href") === MIGRATIONS_HASH),
      );
    this.setAttribute("aria-busy", "true");
    try {
      if (route.screen === "models") await modelsScreen(context, this.main);
      else if (route.screen === "migrations") await migrationsScreen(context, this.main);
      else if (route.screen === "table") await tableScreen(context, this.main, route);
      else
        await recordScreen(
          context,
          this.main,
          route.model,
          route.screen === "record" ? route.id : undefined,
        );
    } finally {
      if (ticket === this.shown) this.removeAttribute("aria-busy");
    }
  }
}

customElements.define("perstore-studio", PerstoreStudio);
