/**
 * A migration file, `<id>_<name>.sql`: a header of `--` lines, then `-- up`
 * and `-- down` parts. The id is `<UTC timestamp>_<hash of the content>`, so
 * two migrations created at once on different branches never share an id.
 *
 * ```sql
 * -- perstore migration 20260101120000_3f2a9c1e_add_year
 * -- parent: 20251231090000_77aa01bc
 * -- reversible: yes
 * -- destructive: drops column "book"."subtitle" and its data
 * -- destructive down: none
 * -- up
 * alter table "book" drop column "subtitle";
 * -- down
 * alter table "book" add column "subtitle" text;
 * ```
 */
import { createHash } from "node:crypto";
import { PerstoreError } from "../../errors/index.js";

export interface MigrationFile {
  readonly id: string;
  readonly name: string;
  /** `<id>_<name>.sql`. */
  readonly fileName: string;
  /** The migration this one follows (the snapshot's parent when it was created); `null` for the first. */
  readonly parent: string | null;
  readonly reversible: boolean;
  /** Reasons given in the header for destructive and irreversible steps. */
  readonly destructive: readonly string[];
  readonly irreversible: readonly string[];
  /**
   * Why reverting it can lose data or fail on rows added since: the header's
   * `-- destructive down:` lines, or, in a file without them (hand-written or
   * older), what a scan of the down part finds (`drop table`, `drop column`,
   * `truncate`, `delete from`, a column type change, ...).
   */
  readonly destructiveDown: readonly string[];
  readonly up: string;
  readonly down: string;
  /** 1-based line of the file where the up part's text starts (for error locations). */
  readonly upLine: number;
  /** 1-based line of the file where the down part's text starts. */
  readonly downLine: number;
  /** sha256 of the file's text (line endings normalised): an applied migration must not change. */
  readonly checksum: string;
}

export interface MigrationContent {
  readonly name: string;
  readonly parent: string | null;
  readonly up: readonly string[];
  readonly down: readonly string[];
  readonly destructive: readonly string[];
  readonly irreversible: readonly string[];
  /** Reasons the down part can lose data or fail (written as `-- destructive down:` lines; `none` when empty). */
  readonly destructiveDown?: readonly string[];
}

const FILE_NAME = /^(\d{14}_[0-9a-f]{8})_([A-Za-z0-9][A-Za-z0-9_-]*)\.sql$/;
const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,59}$/;

/** Whether `name` can name a migration (letters, digits, `_`, `-`; up to 60). */
export function isMigrationName(name: string): boolean {
  return NAME.test(name);
}

/** Whether a file in the migrations folder is a migration (by its name). */
export function isMigrationFileName(fileName: string): boolean {
  return FILE_NAME.test(fileName);
}

/** `<yyyymmddhhmmss>_<8 hex of sha256(content)>`. */
export function migrationId(createdAt: Date, content: MigrationContent): string {
  const stamp = createdAt.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const hash = createHash("sha256").update(JSON.stringify(content)).digest("hex").slice(0, 8);
  return `${stamp}_${hash}`;
}

/** The text of a migration file. */
export function renderMigration(id: string, content: MigrationContent): string {
  if (!isMigrationName(content.name)) throw badName(content.name);
  const reversible = content.irreversible.length === 0;
  const lines = [
    `-- perstore migration ${id}_${content.name}`,
    `-- parent: ${content.parent ?? "none"}`,
    `-- reversible: ${reversible ? "yes" : "no"}`,
    ...content.irreversible.map((reason) => `-- irreversible: ${oneLine(reason)}`),
    ...content.destructive.map((reason) => `-- destructive: ${oneLine(reason)}`),
    ...(reversible ? destructiveDownLines(content.destructiveDown ?? []) : []),
    "-- up",
    ...content.up.map((s) => `${s};`),
    "-- down",
    ...(reversible ? content.down.map((s) => `${s};`) : ["-- (irreversible: no down part)"]),
  ];
  return `${lines.join("\n")}\n`;
}

/** Reads a migration file; throws MIGRATION_FILE_INVALID naming the file. */
export function parseMigration(fileName: string, text: string): MigrationFile {
  const match = FILE_NAME.exec(fileName);
  if (match === null)
    throw invalid(fileName, "the name must be <yyyymmddhhmmss>_<8 hex>_<name>.sql");
  const normal = text.replace(/\r\n/g, "\n");
  const lines = normal.split("\n");
  const upAt = lines.indexOf("-- up");
  const downAt = lines.indexOf("-- down");
  if (upAt === -1 || downAt === -1 || downAt < upAt)
    throw invalid(fileName, 'expected a "-- up" line followed by a "-- down" line');
  const header = lines.slice(0, upAt);
  const values = (key: string) =>
    header.filter((l) => l.startsWith(`-- ${key}: `)).map((l) => l.slice(key.length + 5));
  const parent = values("parent")[0];
  if (parent === undefined) throw invalid(fileName, 'the header has no "-- parent:" line');
  const down = lines.slice(downAt + 1).join("\n");
  const declaredDown = values("destructive down");
  return {
    id: match[1]!,
    name: match[2]!,
    fileName,
    parent: parent === "none" ? null : parent,
    reversible: values("reversible")[0] !== "no",
    destructive: values("destructive"),
    irreversible: values("irreversible"),
    destructiveDown:
      declaredDown.length > 0 ? declaredDown.filter((r) => r !== "none") : scanDownPart(down),
    up: lines.slice(upAt + 1, downAt).join("\n"),
    down,
    upLine: upAt + 2,
    downLine: downAt + 2,
    checksum: createHash("sha256").update(normal).digest("hex"),
  };
}

function destructiveDownLines(reasons: readonly string[]): string[] {
  if (reasons.length === 0) return ["-- destructive down: none"];
  return reasons.map((reason) => `-- destructive down: ${oneLine(reason)}`);
}

/** Statements that lose data or can fail on existing rows, looked for in a down part with no header saying. */
const RISKY_DOWN: readonly [RegExp, string][] = [
  [/\bdrop\s+table\b/i, "drop table"],
  [/\bdrop\s+column\b/i, "drop column"],
  [/\bdrop\s+schema\b/i, "drop schema"],
  [/\btruncate\b/i, "truncate"],
  [/\bdelete\s+from\b/i, "delete from"],
  [/\balter\s+column\s+("[^"]*"|\S+)\s+(set\s+data\s+)?type\b/i, "alter column ... type"],
  [/\bset\s+not\s+null\b/i, "set not null"],
];

/** What a down part without a `-- destructive down:` header may lose (comments and strings are not skipped: a false alarm only asks for --allow-destructive). */
function scanDownPart(down: string): string[] {
  const found = RISKY_DOWN.filter(([pattern]) => pattern.test(down)).map(([, what]) => what);
  return found.length === 0
    ? []
    : [`its down part runs ${found.join(", ")} (no "-- destructive down:" header says otherwise)`];
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ");
}

function badName(name: string): PerstoreError {
  return new PerstoreError(
    "MIGRATION_BAD_NAME",
    `"${name}" is not a migration name: use letters, digits, "_" and "-" (up to 60)`,
  );
}

function invalid(fileName: string, reason: string): PerstoreError {
  return new PerstoreError("MIGRATION_FILE_INVALID", `${fileName}: ${reason}`);
}
