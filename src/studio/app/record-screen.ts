/**
 * One record, or a new one, as a form generated from its schema or as JSON.
 * Saving replaces it with `If-Match` (the ETag it was read with): when someone
 * else saved first the server answers 412 and the studio says so, keeping the
 * edit and writing nothing. Validation errors are listed at their JSON
 * pointers and shown beside their fields; nothing is written either.
 */
import { ApiError, type Tagged } from "./api.js";
import { findModel, type ScreenContext } from "./context.js";
import { fill, h } from "./dom.js";
import { FieldError, recordForm } from "./form.js";
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
    hidden: true,
  });
  const form = recordForm(model, editable, id !== undefined);
  const problems = h("div", { class: "problems", role: "alert" });
  const status = h("p", { class: "status", "aria-live": "polite" });
  let etag = loaded?.etag ?? null;
  let mode: "form" | "json" = "form";

  /** The record being edited, from the form or the JSON; throws FieldError or SyntaxError. */
  const edited = (): Record<string, unknown> => {
    if (mode === "form") return form.read();
    const value: unknown = JSON.parse(editor.value);
    if (value === null || typeof value !== "object" || Array.isArray(value))
      throw new SyntaxError("a record is a JSON object");
    return value as Record<string, unknown>;
  };
  const show = (record: Record<string, unknown>) => {
    form.write(record);
    editor.value = JSON.stringify(record, null, 2);
  };
  show(loaded ? loaded.record : skeleton(model));
  const unreadable = (error: unknown) =>
    fill(
      problems,
      h(
        "p",
        { class: "json-error" },
        error instanceof FieldError ? error.message : `Not JSON: ${(error as Error).message}`,
      ),
    );

  const tab = (which: "form" | "json", label: string) =>
    h(
      "button",
      {
        type: "button",
        class: `mode mode-${which}`,
        "aria-pressed": String(which === mode),
        onclick: () => switchTo(which),
      },
      label,
    );
  const tabs = [tab("form", "Form"), tab("json", "JSON")];
  const switchTo = (next: "form" | "json") => {
    if (next === mode) return;
    try {
      show(edited());
    } catch (error) {
      return unreadable(error);
    }
    mode = next;
    form.element.hidden = mode !== "form";
    editor.hidden = mode !== "json";
    for (const button of tabs)
      button.setAttribute("aria-pressed", String(button.classList.contains(`mode-${mode}`)));
  };

  const reload = async () => {
    if (id === undefined) return;
    try {
      const fresh = await context.api.get(model.name, id);
      etag = fresh.etag;
      show(fresh.record);
      form.clearErrors();
      fill(problems);
      fill(status, "Reloaded the saved version.");
    } catch (error) {
      fill(problems, h("p", {}, describe(error)));
    }
  };

  const save = async () => {
    fill(problems);
    fill(status);
    form.clearErrors();
    let record: Record<string, unknown>;
    try {
      record = edited();
    } catch (error) {
      return unreadable(error);
    }
    try {
      if (id === undefined) {
        const created = await context.api.create(model.name, record);
        context.navigate(recordHash(model.name, created.record[model.key]));
        return;
      }
      const saved = await context.api.put(model.name, id, record, etag);
      etag = saved.etag;
      show(saved.record);
      fill(status, "Saved.");
    } catch (error) {
      fill(problems, problemOf(error, reload));
      const errors = error instanceof ApiError ? error.details?.errors : undefined;
      if (errors) form.showErrors(errors);
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

  fill(
    main,
    h(
      "div",
      {
        class: "record-screen",
        // Ctrl+S (Cmd+S) saves from any field.
        onkeydown: (event: KeyboardEvent) => {
          if ((event.ctrlKey || event.metaKey) && event.key === "s" && editable) {
            event.preventDefault();
            void save();
          }
        },
      },
      h("p", { class: "crumbs" }, h("a", { href: tableHash(model.name) }, `← ${model.name}`)),
      h("h1", {}, id === undefined ? `New ${model.name}` : `${model.name} ${id}`),
      editable ? null : h("p", { class: "read-only" }, "Read-only for this role."),
      h("div", { class: "modes", role: "group", "aria-label": "Edit as" }, tabs),
      form.element,
      editor,
      problems,
      h(
        "div",
        { class: "actions" },
        editable
          ? h(
              "button",
              {
                type: "button",
                class: "save primary",
                onclick: () => void save(),
                title: "Ctrl+S",
              },
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
    ),
  );
  (form.element.querySelector<HTMLElement>(":enabled") ?? editor).focus();
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
    if (property.required) record[property.name] = emptyValueOf(property.type);
  return record;
}

/** The blank a new record starts with for a required property, by its type: objects start as {}, not "". */
function emptyValueOf(type: string): unknown {
  if (type.endsWith("[]") || type === "array") return [];
  switch (type) {
    case "integer":
    case "number":
      return 0;
    case "boolean":
      return false;
    case "object":
      return {};
    default:
      return "";
  }
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
