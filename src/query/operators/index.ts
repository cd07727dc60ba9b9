/** The condition operators, looked up only in this table (never on a prototype). */
import type { ConditionOperator } from "../ast.js";
import { between } from "./between.js";
import { contains } from "./contains.js";
import { ends } from "./ends.js";
import { eq } from "./eq.js";
import { excludes } from "./excludes.js";
import { ge } from "./ge.js";
import { gt } from "./gt.js";
import { inOperator } from "./in.js";
import { isnull } from "./isnull.js";
import { le } from "./le.js";
import { lt } from "./lt.js";
import { match } from "./match.js";
import { ne } from "./ne.js";
import { notnull } from "./notnull.js";
import type { Operator } from "./operator.js";
import { out } from "./out.js";
import { starts } from "./starts.js";

export const operators: ReadonlyMap<string, Operator> = new Map(
  [
    eq,
    ne,
    lt,
    le,
    gt,
    ge,
    inOperator,
    out,
    contains,
    excludes,
    starts,
    ends,
    match,
    between,
    isnull,
    notnull,
  ].map((op) => [op.name, op]),
);

/** The operator named `op`; a QueryError for anything else (including `constructor`, `__proto__`). */
export function getOperator(op: ConditionOperator | string): Operator | undefined {
  return operators.get(op);
}

export type { Operand, Operator } from "./operator.js";
