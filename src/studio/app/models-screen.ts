/** The first screen: every model the role reaches, its record count, properties and links. */
import { ApiError } from "./api.js";
import type { ScreenContext } from "./context.js";
import { fill, h } from "./dom.js";
import { tableHash } from "./route.js";

export async function modelsScreen(context: ScreenContext, main: HTMLElement): Promise<void> {
  const counts = context.models.map((model) =>
    h("td", { class: "count", "data-model": model.name }, "…"),
  );
  fill(
    main,
    h("h1", {}, "Models"),
    context.models.length === 0
      ? h("p", { class: "empty" }, "This role reaches no model. Sign in with a token to see more.")
      : h(
          "table",
          { class: "models" },
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              h("th", { scope: "col" }, "Model"),
              h("th", { scope: "col" }, "Records"),
              h("th", { scope: "col" }, "Properties"),
              h("th", { scope: "col" }, "Links"),
            ),
          ),
          h(
            "tbody",
            {},
            context.models.map((model, i) =>
              h(
                "tr",
                {},
                h("th", { scope: "row" }, h("a", { href: tableHash(model.name) }, model.name)),
                counts[i],
                h(
                  "td",
                  { class: "properties" },
                  model.properties.map((p) =>
                    h(
                      "span",
                      { class: "property" },
                      h("b", {}, p.name),
                      " ",
                      h("i", {}, p.type),
                      p.required ? "*" : "",
                      " ",
                    ),
                  ),
                ),
                h(
                  "td",
                  {},
                  model.links.map((link) =>
                    h("span", { class: "link" }, `${link.rel} → ${link.target} `),
                  ),
                ),
              ),
            ),
          ),
        ),
  );
  await Promise.all(
    context.models.map(async (model, i) => {
      try {
        const total = await context.api.count(model.name);
        if (context.current()) fill(counts[i]!, String(total));
      } catch (error) {
        if (context.current())
          fill(
            counts[i]!,
            h(
              "span",
              { class: "error", title: error instanceof ApiError ? error.message : String(error) },
              "error",
            ),
          );
      }
    }),
  );
}
