/** JSON pointers (RFC 6901), as ValidationIssue.pointer carries them. */

/** Escapes one pointer segment: `~` becomes `~0` and `/` becomes `~1`. */
export function escapePointer(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}
