/** Two versions of the library schema for migration tests: v2 renames, adds, drops, widens, links. */
import type { ModelIR, ProjectIR } from "../../../src/compiler/ir/types.js";
import { libraryIR, model, project, property } from "../ddl/ir-fixture.js";

export const v1 = libraryIR;

export function v2(): ProjectIR {
  const models = libraryIR().models.map((m): ModelIR => {
    if (m.name === "Author") {
      return {
        ...m,
        properties: [
          ...m.properties.map((p) =>
            p.name === "name" ? { ...p, name: "fullName", renamedFrom: "name" } : p,
          ),
          property({ name: "born", type: "integer" }),
        ],
      };
    }
    if (m.name === "Book") {
      return {
        ...m,
        properties: [
          ...m.properties
            .filter((p) => p.name !== "price")
            .map((p) => {
              if (p.name === "title") return { ...p, maxLength: undefined };
              if (p.name === "status") return { ...p, enum: ["draft", "published", "archived"] };
              return p;
            }),
          property({ name: "publisherId", type: "string", format: "uuid" }),
        ],
        indexes: [...m.indexes, { name: "book_year_idx", fields: ["year"], unique: false }],
        links: [
          ...m.links,
          {
            rel: "publisher",
            href: "Publisher/{publisherId}",
            target: "Publisher",
            property: "publisherId",
            targetProperty: "id",
            many: false,
          },
        ],
      };
    }
    return m;
  });
  const publisher = model({
    name: "Publisher",
    properties: [
      { name: "id", type: "string", format: "uuid", required: true },
      { name: "name", type: "string", required: true, unique: true },
    ],
  });
  return project(...models, publisher);
}
