/** Records of the log tests' writers, and how a test checks them. */
import { createHash } from "node:crypto";

export interface LoadRecord {
  id: string;
  check: string;
  padding: string;
}

/** What a record with this id must carry in `check`. */
export function checkOf(id: string): string {
  return createHash("sha256").update(id).digest("hex").slice(0, 16);
}

/** The records that are not exactly what their writer put (a torn or mixed line applied). */
export function badRecords(records: readonly LoadRecord[]): LoadRecord[] {
  return records.filter((r) => r.check !== checkOf(r.id) || r.padding !== "p".repeat(200));
}
