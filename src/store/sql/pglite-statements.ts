/**
 * Named prepared statements for the PGlite dialect. PGlite's `query(text,
 * params)` sends Parse, Describe, Bind, Describe, Execute and Sync as six
 * calls into WebAssembly and plans the statement every time (~0.3-0.5 ms for
 * a get by id). Here a statement is prepared once under a name (Parse and
 * Describe in one call, which also tells its parameter types) and then run as
 * one Bind + Describe + Execute + Sync message: one call, no parse, a cached
 * plan (~60 µs). Parameters are serialized and cells parsed by the instance's
 * own serializers and parsers, keyed by the types PostgreSQL described, as
 * `query` does, so rows and errors are the same.
 *
 * Only DML (select, insert, update, delete, with, values) is prepared; any
 * other statement (DDL, transaction control, SET) goes through `query`, and
 * one that may change a table's shape first forgets every prepared statement,
 * so no cached plan outlives the schema it was made for.
 */
import { serialize } from "pg-protocol";

/** A backend message as PGlite's `execProtocol` parses it (the fields read here). */
export interface ProtocolMessage {
  readonly name: string;
  readonly fields?: readonly (
    { readonly name: string; readonly dataTypeID: number } | string | null
  )[];
  readonly dataTypeIDs?: readonly number[];
  readonly text?: string;
}

/** The part of a PGlite instance prepared statements need (PGlite 0.5 has it all). */
export interface PGliteProtocol {
  execProtocol(
    message: Uint8Array,
    options?: { readonly throwOnError?: boolean },
  ): Promise<{ readonly messages: readonly ProtocolMessage[] }>;
  runExclusive<T>(fn: () => Promise<T>): Promise<T>;
  readonly parsers: Readonly<Record<number, (text: string, typeId: number) => unknown>>;
  readonly serializers: Readonly<Record<number, (value: any) => string>>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** What a statement gave: its rows, and the command tag's verb and count. */
export interface StatementResult<R> {
  readonly rows: R[];
  readonly command?: string;
  readonly rowCount?: number;
}

interface Prepared {
  readonly name: string;
  readonly parameterTypes: readonly number[];
}

/** Statements kept prepared per PGlite instance (the least recently used is closed past it). */
const CAPACITY = 256;

/** A statement's first keyword, after any leading comments and blanks. */
const LEADING = /^(?:\s+|\/\*[\s\S]*?\*\/|--[^\n]*\n)*([a-z]+)/i;
const PREPARED_KINDS = new Set(["select", "insert", "update", "delete", "with", "values"]);
/**
 * Statements that cannot change what a prepared statement reads or returns.
 * Not `rollback`: it can undo DDL that statements prepared since were made for.
 */
const HARMLESS_KINDS = new Set([
  "begin",
  "start",
  "commit",
  "end",
  "savepoint",
  "release",
  "set",
  "reset",
  "show",
  "explain",
  "prepare",
  "execute",
  "deallocate",
  "lock",
  "analyze",
  "vacuum",
  "checkpoint",
  "listen",
  "unlisten",
  "notify",
]);

/** What `text` is, for the statement cache: prepared, run as is, or run and then the cache forgotten. */
export function statementKind(text: string): "prepare" | "plain" | "schema" {
  const keyword = LEADING.exec(text)?.[1]?.toLowerCase();
  if (keyword === undefined) return "schema";
  if (PREPARED_KINDS.has(keyword)) return "prepare";
  return HARMLESS_KINDS.has(keyword) ? "plain" : "schema";
}

/** One cache per PGlite instance: statement names live in the instance, whichever dialect made them. */
const byInstance = new WeakMap<PGliteProtocol, PreparedStatements>();

/** The prepared statements of `pglite`, shared by every dialect over it. */
export function preparedStatementsOf(pglite: PGliteProtocol): PreparedStatements {
  let statements = byInstance.get(pglite);
  if (statements === undefined) {
    statements = new PreparedStatements(pglite);
    byInstance.set(pglite, statements);
  }
  return statements;
}

export class PreparedStatements {
  readonly #pglite: PGliteProtocol;
  /** By statement text, least recently used first. */
  readonly #prepared = new Map<string, Prepared>();
  /** Names to close with the next message (evicted or forgotten). */
  #closing: string[] = [];
  #count = 0;

  constructor(pglite: PGliteProtocol) {
    this.#pglite = pglite;
  }

  /** Runs `text` with `parameters` as a prepared statement. */
  run<R>(text: string, parameters: readonly unknown[]): Promise<StatementResult<R>> {
    return this.#pglite.runExclusive(() => this.#run<R>(text, parameters, true));
  }

  /** Forgets every prepared statement (closed with the next message): the schema may have changed. */
  forgetAll(): void {
    for (const prepared of this.#prepared.values()) this.#closing.push(prepared.name);
    this.#prepared.clear();
  }

  async #run<R>(
    text: string,
    parameters: readonly unknown[],
    retry: boolean,
  ): Promise<StatementResult<R>> {
    let prepared = this.#prepared.get(text);
    if (prepared === undefined) prepared = await this.#prepare(text);
    else {
      this.#prepared.delete(text);
      this.#prepared.set(text, prepared);
    }
    const values = parameters.map((value, i) => this.#serialize(value, prepared.parameterTypes[i]));
    try {
      const { messages } = await this.#pglite.execProtocol(
        Buffer.concat([
          serialize.bind({ statement: prepared.name, values }),
          serialize.describe({ type: "P" }),
          serialize.execute({}),
          serialize.sync(),
        ]),
      );
      return resultOf<R>(messages, this.#pglite.parsers);
    } catch (error) {
      // Dropped behind our back (DEALLOCATE ALL, DISCARD ALL): prepare it again, once.
      if (retry && (error as { code?: unknown }).code === "26000") {
        this.#prepared.delete(text);
        return this.#run<R>(text, parameters, false);
      }
      throw error;
    }
  }

  async #prepare(text: string): Promise<Prepared> {
    const name = `perstore_pglite_${++this.#count}`;
    const closing = this.#closing;
    this.#closing = [];
    const { messages } = await this.#pglite.execProtocol(
      Buffer.concat([
        ...closing.map((old) => serialize.close({ type: "S", name: old })),
        serialize.parse({ name, text }),
        serialize.describe({ type: "S", name }),
        serialize.sync(),
      ]),
    );
    const description = messages.find((m) => m.name === "parameterDescription");
    const prepared: Prepared = { name, parameterTypes: description?.dataTypeIDs ?? [] };
    this.#prepared.set(text, prepared);
    if (this.#prepared.size > CAPACITY) {
      const [oldest, evicted] = this.#prepared.entries().next().value as [string, Prepared];
      this.#prepared.delete(oldest);
      this.#closing.push(evicted.name);
    }
    return prepared;
  }

  #serialize(value: unknown, type: number | undefined): string | null {
    if (value === null || value === undefined) return null;
    const serializer = type === undefined ? undefined : this.#pglite.serializers[type];
    return serializer ? serializer(value) : String(value);
  }
}

/** Rows (objects by column name, cells through the instance's parsers) and the command tag. */
function resultOf<R>(
  messages: readonly ProtocolMessage[],
  parsers: PGliteProtocol["parsers"],
): StatementResult<R> {
  let columns: readonly { readonly name: string; readonly dataTypeID: number }[] = [];
  const rows: R[] = [];
  let command: string | undefined;
  let rowCount: number | undefined;
  for (const message of messages) {
    switch (message.name) {
      case "rowDescription":
        columns = message.fields as typeof columns;
        break;
      case "dataRow": {
        const cells = message.fields as readonly (string | null)[];
        const row: Record<string, unknown> = {};
        for (let i = 0; i < columns.length; i++) {
          const cell = cells[i] ?? null;
          const { name, dataTypeID } = columns[i]!;
          const parser = parsers[dataTypeID];
          const value = cell === null ? null : parser ? parser(cell, dataTypeID) : cell;
          // A column named __proto__ is a column: an own property, never the row's prototype.
          if (name === "__proto__")
            Object.defineProperty(row, name, {
              value,
              enumerable: true,
              writable: true,
              configurable: true,
            });
          else row[name] = value;
        }
        rows.push(row as R);
        break;
      }
      case "commandComplete": {
        const words = (message.text ?? "").split(" ");
        command = words[0];
        const count = Number.parseInt(words[words.length - 1]!, 10);
        if (!Number.isNaN(count)) rowCount = count;
        break;
      }
    }
  }
  return {
    rows,
    ...(command !== undefined ? { command } : {}),
    ...(rowCount !== undefined ? { rowCount } : {}),
  };
}
