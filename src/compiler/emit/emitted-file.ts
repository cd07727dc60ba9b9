/** One file an emitter produces: where it goes (relative to the output folder) and its text. */
export interface EmittedFile {
  /** Path relative to the output folder, posix. */
  readonly path: string;
  /** What the banner names as the file's source (a schema file, or "schemas/"). */
  readonly source: string;
  /** Unformatted contents; the writer adds the banner and formats once. */
  readonly contents: string;
  /** Skip prettier (e.g. SQL); defaults by extension. */
  readonly format?: boolean;
  /** The model this file belongs to; absent for project-level files (index.ts, db.ts, schema.sql). */
  readonly model?: string;
}
