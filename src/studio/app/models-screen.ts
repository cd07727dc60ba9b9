/**
 * The first screen: every model the role reaches, its record count,
 * properties (the key marked), links (to-one or to-many), indexes and facets.
 * The facets are those the role may know of: every facet when it sees the
 * whole model, else only its own (without what that facet hides).
 */
import { ApiError } from "./api.js";
import type { ScreenContext } from "./context.js";
import { fill, h } from "./dom.js";
import type { FacetInfo, IndexInfo, ModelInfo } from "./models.js";
import { tableHash } from "./route.js";

export async function modelsScreen(context: ScreenContext, main: HTMLElement): Promise<void> {
  const counts = context.models.map((model) =>
    h("td", { class: "count", "data-model": model.name }, "…"),
  );
  const heading = (text: string) => h("th", { scope: "col" }, text);
  fill(
    main,
    h("h1", {}, "Models"),
    context.models.length === 0
      ? h("p", { class: "empty" }, "This role reaches no model. Sign in with a token to see more.")
      : h(
          "div",
          { class: "scroll" },
          h(
            "table",
            { class: "models" },
            h(
              "thead",
              {},
              h(
                "tr",
                {},
                ["Model", "Records", "Properties", "Links", "Indexes", "Facets"].map(heading),
              ),
            ),
            h(
              "tbody",
              {},
              context.models.map((model, i) =>
                h(
                  "tr",
                  { "data-model": model.name },
                  h("th", { scope: "row" }, h("a", { href: tableHash(model.name) }, model.name)),
                  counts[i],
                  h("td", { class: "properties" }, propertiesOf(model)),
                  h(
                    "td",
                    { class: "links" },
                    model.links.map((link) =>
                      h(
                        "span",
                        { class: "link", "data-rel": link.rel },
                        `${link.rel} → ${link.target}`,
                        link.many ? h("span", { class: "many" }, " (to-many)") : null,
                      ),
                    ),
                  ),
                  h("td", { class: "indexes" }, model.indexes.map(indexOf)),
                  h(
                    "td",
                    { class: "facets" },
                    model.facets.map((facet) => facetOf(facet, model.facet === facet.name)),
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

function propertiesOf(model: ModelInfo): HTMLElement[] {
  return model.properties.map((p) =>
    h(
      "span",
      { class: "property", "data-property": p.name },
      h("b", {}, p.name),
      " ",
      h("i", {}, p.type),
      p.required ? h("span", { title: "required" }, "*") : "",
      p.name === model.key ? h("span", { class: "key", title: "primary key" }, " key") : "",
      " ",
    ),
  );
}

/** `authorId`, `title, year`, `email unique`, `title full text (simple)`. */
function indexOf(index: IndexInfo): HTMLElement {
  return h(
    "span",
    { class: "index", title: index.name },
    index.fields.join(", "),
    index.unique ? h("i", {}, " unique") : null,
    index.fullText ? h("i", {}, ` full text (${index.fullText})`) : null,
  );
}

/** `catalog: get, query · hides price · read-only isbn · filter eq(status,published) · at most 50`. */
function facetOf(facet: FacetInfo, own: boolean): HTMLElement {
  const parts: (string | null)[] = [
    facet.methods.join(", ") || "no methods",
    facet.hidden?.length ? `hides ${facet.hidden.join(", ")}` : null,
    facet.readonly.length ? `read-only ${facet.readonly.join(", ")}` : null,
    facet.filter ? `filter ${facet.filter}` : facet.filtered ? "filtered" : null,
    facet.maxLimit === undefined ? null : `at most ${facet.maxLimit} per query`,
  ];
  return h(
    "span",
    { class: "facet", "data-facet": facet.name },
    h("b", {}, facet.name),
    own ? h("span", { class: "yours" }, " (yours)") : null,
    ": ",
    parts.filter((part) => part !== null).join(" · "),
  );
}
