/**
 * Methods mixed into the generated Note class ("prototype" in
 * note.schema.json). `this` is the model instance, typed by the generated class.
 */
import type { Note } from "../generated/note.js";

/** "Hello (2 tags)". */
export function summary(this: Note): string {
  const tags = this.tags?.length ?? 0;
  return `${this.title} (${tags} tag${tags === 1 ? "" : "s"})`;
}
