/**
 * Collects compiler diagnostics so one run reports every error, each located
 * by file, JSON pointer, line and column.
 */
import { SchemaError, SchemaErrors } from "../../errors/index.js";
import type { SourcePosition } from "./json-source-map.js";

export class Diagnostics {
  readonly errors: SchemaError[] = [];
  readonly #positions = new Map<string, ReadonlyMap<string, SourcePosition>>();

  /** Register a file's pointer positions (from the source-map parser). */
  addFile(file: string, pointers: ReadonlyMap<string, SourcePosition>): void {
    this.#positions.set(file, pointers);
  }

  /** Report an error at `pointer` in `file`; unknown pointers fall back to their nearest parent. */
  error(
    code: string,
    message: string,
    file: string,
    pointer: string,
    position?: SourcePosition,
  ): void {
    const at = position ?? this.#locate(file, pointer);
    this.errors.push(
      new SchemaError(code, message, {
        file,
        pointer,
        line: at?.line ?? 0,
        column: at?.column ?? 0,
      }),
    );
  }

  #locate(file: string, pointer: string): SourcePosition | undefined {
    const map = this.#positions.get(file);
    if (!map) return undefined;
    for (let p = pointer; ; p = p.slice(0, p.lastIndexOf("/"))) {
      const found = map.get(p);
      if (found) return found;
      if (p === "") return undefined;
    }
  }

  /** Throw every collected error at once, in a stable order (file, then position). */
  throwIfAny(): void {
    if (this.errors.length === 0) return;
    const sorted = [...this.errors].sort(
      (a, b) =>
        cmp(a.file, b.file) ||
        a.line - b.line ||
        a.column - b.column ||
        cmp(a.code, b.code) ||
        cmp(a.message, b.message),
    );
    throw new SchemaErrors(sorted);
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
