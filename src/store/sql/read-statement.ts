/**
 * Which statements a read replica may answer: a hot standby refuses every
 * write, so sending it one would fail rather than lose data, but routing must
 * still be conservative. A statement goes to a standby only when its SQL text
 * is a single SELECT (or WITH ... SELECT) with no word that writes, locks or
 * touches a sequence; anything else, or anything unsure, goes to the primary.
 * Values are bound parameters, so the text holds only the statement's shape;
 * a quoted identifier that happens to be such a word only sends the statement
 * to the primary, which is always correct.
 */
import type { CompiledQuery } from "kysely";

/** Words that make a statement a write, a lock, or not one statement. */
const NOT_A_PLAIN_READ =
  /;|\b(insert|update|delete|merge|into|for\s+(no\s+key\s+)?update|for\s+(key\s+)?share|nextval|setval|lock|pg_advisory\w*|call|copy|do|set|notify|listen)\b/i;

/** Leading comments and white space. */
const LEADING_NOISE = /^(\s+|--[^\n]*\n?|\/\*[\s\S]*?\*\/)*/;

/** True when a standby may run `query`: a builder SELECT or raw SQL that is plainly one read. */
export function isReadStatement(query: CompiledQuery): boolean {
  const kind = query.query.kind;
  if (kind !== "SelectQueryNode" && kind !== "RawNode") return false;
  const text = query.sql.replace(LEADING_NOISE, "");
  if (!/^(select|with)\b/i.test(text)) return false;
  return !NOT_A_PLAIN_READ.test(text.replace(/;\s*$/, ""));
}
