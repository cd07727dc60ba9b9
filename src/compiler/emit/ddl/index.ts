/** DDL: the SQL schema of a project, from its compiler IR. */
export { emitDdl, ddlOf } from "./emit-ddl.js";
export { tableSpecsFromIR } from "./table-specs-from-ir.js";
export { ddlTablesFromIR } from "./ddl-tables-from-ir.js";
export { sqlTypeOf } from "./sql-type.js";
export {
  DISCRIMINATOR_COLUMN,
  isSqlType,
  type DdlColumn,
  type DdlDefault,
  type DdlForeignKey,
  type DdlIndex,
  type DdlTable,
} from "./ddl-model.js";
