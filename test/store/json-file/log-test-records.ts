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

/** The padding a record with this id carries: 1.5 MB for ids ending in `-big` (a write a kill can tear), else 200 bytes. */
export function paddingOf(id: string): string {
  return "p".repeat(id.endsWith("-big") ? 1_500_000 : 200);
}

/** A record as the writers put it. */
export function loadRecord(id: string): LoadRecord {
  return { id, check: checkOf(id), padding: paddingOf(id) };
}

/** The ids of records that are not exactly what their writer put (a torn or mixed line applied). */
export function badRecords(records: readonly LoadRecord[]): string[] {
  return records
    .filter((r) => r.check !== checkOf(r.id) || r.padding !== paddingOf(r.id))
    .map((r) => r.id);
}
