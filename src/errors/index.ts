/**
 * perstore's errors. Every error carries a stable string `code` that callers
 * and tests can rely on; messages are for people and may change.
 */

/** Options every perstore error takes. */
export interface PerstoreErrorOptions {
  readonly cause?: unknown;
  /** Extra structured details (kept on `details`). */
  readonly details?: Readonly<Record<string, unknown>>;
  /** Whether the same operation may succeed if tried again (e.g. a dropped connection); default false. */
  readonly retryable?: boolean;
}

/** The base of every perstore error: `code` is stable, the message is for people. */
export class PerstoreError extends Error {
  readonly code: string;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  /** True when trying the same operation again may succeed (nothing was written by this attempt). */
  readonly retryable: boolean;

  constructor(code: string, message: string, options: PerstoreErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details;
    this.retryable = options.retryable ?? false;
  }
}

/** A query that does not parse, names something unknown, or cannot run here. */
export class QueryError extends PerstoreError {
  /** Offset in the query string of the offending character, when the query was a string. */
  readonly position: number | undefined;

  constructor(
    code: string,
    message: string,
    options: PerstoreErrorOptions & { readonly position?: number } = {},
  ) {
    super(
      code,
      options.position === undefined ? message : `${message} (at position ${options.position})`,
      options,
    );
    this.position = options.position;
  }
}

/** One failed validation rule, with the JSON pointer of the value it concerns. */
export interface ValidationIssue {
  /** JSON pointer into the record, "" for the record itself. */
  readonly pointer: string;
  readonly message: string;
  /** The rule that failed, e.g. ajv's keyword ("required", "format", ...). */
  readonly keyword: string;
  readonly params?: Readonly<Record<string, unknown>>;
}

/** A record that does not satisfy its schema; lists every issue, not the first. */
export class ValidationError extends PerstoreError {
  readonly errors: readonly ValidationIssue[];

  constructor(errors: readonly ValidationIssue[], message?: string, code = "VALIDATION_FAILED") {
    super(
      code,
      message ??
        `validation failed: ${errors.map((e) => `${e.pointer || "/"} ${e.message}`).join("; ")}`,
      { details: { errors } },
    );
    this.errors = errors;
  }
}

/** The record asked for does not exist (e.g. `put` with `overwrite: true`). */
export class NotFoundError extends PerstoreError {
  constructor(message: string, code = "STORE_NOT_FOUND", options: PerstoreErrorOptions = {}) {
    super(code, message, options);
  }
}

/** A write collides with existing data: a duplicate id or a unique index. */
export class ConflictError extends PerstoreError {
  constructor(message: string, code = "STORE_CONFLICT", options: PerstoreErrorOptions = {}) {
    super(code, message, options);
  }
}

/** A facet (or other capability) does not allow what was attempted. */
export class AccessError extends PerstoreError {
  constructor(message: string, code = "ACCESS_DENIED", options: PerstoreErrorOptions = {}) {
    super(code, message, options);
  }
}

/** A diagnostic from the schema compiler, located in a schema file. */
export class SchemaError extends PerstoreError {
  readonly file: string;
  /** JSON pointer inside the file. */
  readonly pointer: string;
  /** 1-based line and column of the pointer's value in the file (0 when unknown). */
  readonly line: number;
  readonly column: number;

  constructor(
    code: string,
    message: string,
    location: { file: string; pointer: string; line?: number; column?: number },
    options: PerstoreErrorOptions = {},
  ) {
    const line = location.line ?? 0;
    const column = location.column ?? 0;
    super(
      code,
      `${location.file}:${line}:${column} ${location.pointer || "/"}: ${message}`,
      options,
    );
    this.file = location.file;
    this.pointer = location.pointer;
    this.line = line;
    this.column = column;
  }
}

/** Several compiler diagnostics reported together. */
export class SchemaErrors extends PerstoreError {
  readonly errors: readonly SchemaError[];
  constructor(errors: readonly SchemaError[]) {
    super(
      "SCHEMA_ERRORS",
      `${errors.length} schema error${errors.length === 1 ? "" : "s"}:\n${errors.map((e) => `  ${e.message}`).join("\n")}`,
    );
    this.errors = errors;
  }
}

/** A store or file could not be read or written (I/O, corrupt file, channel failure). */
export class StoreError extends PerstoreError {}
