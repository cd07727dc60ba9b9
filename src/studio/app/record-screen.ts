/**
 * One record as JSON, or a new one. Saving replaces it with `If-Match` (the
 * ETag it was read with): when someone else saved first the server answers
 * 412 and the studio says so, keeping the edit and writing nothing. Validation
 * errors are listed at their JSON pointers; nothing is written either.
 */
import { ApiError, type Tagged } from "./api.js";
import { findModel, type ScreenContext } from "./context.js";
import { fill, h } from "./dom.js";
import { linkHash } from "./links.js";
import type { ModelInfo } from "./models.js";
import { recordHash, tableHash } from "./route.js";

/** `id` undefined: a new record. */
export async function recordScreen(
  context: ScreenContext,
  main: HTMLElement,
  name: string,
  id: string | undefined,
): Promise<void> {
  const model = findModel(context, name);
  if (!model)
    return void fill(
      main,
      h("h1", {}, name),
      h("p", { class: "error", role: "alert" }, "This role does not reach this model."),
    );
  let loaded: Tagged | undefined;
  if (id !== undefined) {
    try {
      loaded = await context.api.get(model.name, id);
    } catch (error) {
      if (context.current())
        fill(
          main,
          h("h1", {}, `${model.name} ${id}`),
          h("p", { class: "error", role: "alert" }, describe(error)),
        );
      return;
    }
    if (!context.current()) return;
  }
  const editable = id === undefined ? model.canCreate : model.canReplace;
  const editor = h("textarea", {
    class: "json",
    "aria-label": "Record JSON",
    rows: 20,
    spellcheck: "false",
    readOnly: !editable,
    value: JSON.stringify(loaded ? loaded.record : skeleton(model), null, 2),
  });
  const problems = h("div", { class: "problems", role: "alert" });
  const status = h("p", { class: "status", "aria-live": "polite" });
  let etag = loaded?.etag ?? null;

  const reload = async () => {
    if (id === undefined) return;
    try {
      const fresh = await context.api.get(model.name, id);
      etag = fresh.etag;
      editor.value = JSON.stringify(fresh.record, null, 2);
      fill(problems);
      fill(status, "Reloaded the saved version.");
    } catch (error) {
      fill(problems, h("p", {}, describe(error)));
    }
  };

  const save = async () => {
    fill(problems);
    fill(status);
    let record: unknown;
    try {
      record = JSON.parse(editor.value);
    } catch (error) {
      return void fill(
        problems,
        h("p", { class: "json-error" }, `Not JSON: ${(error as Error).message}`),
      );
    }
    try {
      if (id === undefined) {
        const created = await context.api.create(model.name, record);
        context.navigate(recordHash(model.name, created.record[model.key]));
        return;
      }
      const saved = await context.api.put(model.name, id, record, etag);
      etag = saved.etag;
      editor.value = JSON.stringify(saved.record, null, 2);
      fill(status, "Saved.");
    } catch (error) {
      fill(problems, problemOf(error, reload));
    }
  };

  const confirm = h(
    "button",
    { type: "button", class: "confirm-delete danger", hidden: true, onclick: () => void remove() },
    "Really delete",
  );
  const remove = async () => {
    try {
      await context.api.delete(model.name, id!, etag);
      context.navigate(tableHash(model.name));
    } catch (error) {
      fill(problems, problemOf(error, reload));
    }
  };

  editor.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key === "s" && editable) {
      event.preventDefault();
      void save();
    }
  });

  fill(
    main,
    h("p", { class: "crumbs" }, h("a", { href: tableHash(model.name) }, `← ${model.name}`)),
    h("h1", {}, id === undefined ? `New ${model.name}` : `${model.name} ${id}`),
    editable ? null : h("p", { class: "read-only" }, "Read-only for this role."),
    editor,
    problems,
    h(
      "div",
      { class: "actions" },
      editable
        ? h(
            "button",
            { type: "button", class: "save primary", onclick: () => void save(), title: "Ctrl+S" },
            id === undefined ? "Create" : "Save",
          )
        : null,
      id !== undefined && model.canDelete
        ? h(
            "button",
            {
              type: "button",
              class: "delete danger",
              onclick: () => ((confirm.hidden = false), confirm.focus()),
            },
            "Delete",
          )
        : null,
      id !== undefined && model.canDelete ? confirm : null,
      id !== undefined
        ? h("button", { type: "button", class: "reload", onclick: () => void reload() }, "Reload")
        : null,
    ),
    status,
    loaded && model.links.length > 0 ? linksOf(context, model, loaded.record) : null,
  );
  editor.focus();
}

/** The record's links: each opens the linked record, or the table of linked records. */
function linksOf(
  context: ScreenContext,
  model: ModelInfo,
  record: Record<string, unknown>,
): HTMLElement {
  return h(
    "nav",
    { class: "links", "aria-label": "Links" },
    h("h2", {}, "Links"),
    h(
      "ul",
      {},
      model.links.map((link) => {
        const hash = linkHash(link, record, context.models);
        const label = `${link.rel} → ${link.target}`;
        return h(
          "li",
          {},
          hash
            ? h("a", { href: hash, "data-rel": link.rel }, label)
            : h("span", { class: "muted" }, `${label} (none)`),
        );
      }),
    ),
  );
}

/** A new record's starting text: its required properties, to fill in. */
function skeleton(model: ModelInfo): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const property of model.properties)
    if (property.required)
      record[property.name] = property.type.endsWith("[]")
        ? []
        : property.type === "integer" || property.type === "number"
          ? 0
          : "";
  return record;
}

function problemOf(error: unknown, reload: () => Promise<void>): (Node | string)[] {
  if (error instanceof ApiError && error.status === 412)
    return [
      h(
        "div",
        { class: "conflict" },
        h(
          "p",
          {},
          "Someone else saved this record after you opened it (412 Precondition Failed). Nothing was written; your edit is still here.",
        ),
        h(
          "button",
          { type: "button", class: "reload-theirs", onclick: () => void reload() },
          "Load their version",
        ),
      ),
    ];
  const errors = error instanceof ApiError ? error.details?.errors : undefined;
  if (errors?.length)
    return [
      h("p", {}, `Not saved: ${errors.length === 1 ? "1 error" : `${errors.length} errors`}.`),
      h(
        "ul",
        { class: "validation-errors" },
        errors.map((e) =>
          h("li", {}, h("code", { class: "pointer" }, e.pointer || "/"), " ", e.message),
        ),
      ),
    ];
  return [h("p", {}, describe(error))];
}

function describe(error: unknown): string {
  return error instanceof ApiError ? `${error.code}: ${error.message}` : String(error);
}
