/** One file an emitter produces: where it goes (relative to the output folder) and its text. */
export interface EmittedFile {
  /** Path relative to the output folder, posix. */
  readonly path: string;
  /** What the banner names as the file's source (a schema file, or "schemas/"). */
  readonly source: string;
  /** Unformatted contents; the writer adds the banner and formats once. */
  readonly contents: string;
  /**
   * How many leading lines of `contents` the emitter already wrote as
   * prettier prints them (each at most 100 columns): the formatter keeps
   * them and formats only the JavaScript after them (see `print-js.ts`).
   */
  readonly preformattedLines?: number;
  /** Skip prettier (e.g. SQL); defaults by extension. */
  readonly format?: boolean;
  /** The model this file belongs to; absent for project-level files (index.ts, db.ts, schema.sql). */
  readonly model?: string;
}
