import type { ProjectIR } from "../../ir/types.js";
import { diffSnapshots } from "../../migrate/diff-snapshots.js";
import { emptySnapshot, snapshotFromIR } from "../../migrate/snapshot.js";
import { statementSql } from "../../migrate/statement-sql.js";
import type { EmittedFile } from "../emitted-file.js";

/**
 * `schema.sql`: the whole database schema, as the first migration from an
 * empty database would create it (the same differ and SQL converter, so the
 * DDL and the migrations cannot disagree): tables with their primary keys and
 * CHECKs, then indexes, then foreign keys (last, so tables may refer to each
 * other in any order).
 *
 * @example
 * emitDdl(ir)[0].contents
 * // create table "book" ("isbn" text not null, "title" varchar(300) not null, ...);
 */
export function emitDdl(ir: ProjectIR): EmittedFile[] {
  return [{ path: "schema.sql", source: "schemas/", contents: ddlOf(ir), format: false }];
}

/** The DDL text of a project: one statement per line, each ending with `;`. */
export function ddlOf(ir: ProjectIR): string {
  const plan = diffSnapshots(emptySnapshot(), snapshotFromIR(ir));
  return plan.statements
    .flatMap(statementSql)
    .map((s) => `${s};\n`)
    .join("");
}
