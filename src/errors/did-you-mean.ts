/**
 * "Did you mean …?" for a mistyped name (a CLI command or option, a config
 * key, a schema keyword): the closest candidate by Damerau-Levenshtein
 * distance (optimal string alignment: a swap of two neighbours costs one
 * edit, so `scheams` is one edit from `schemas`), if it is close enough to be
 * a likely typo rather than a different word.
 */

/** Edits (insert, delete, substitute, swap neighbours) that turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  // Three rows of the dynamic-programming table: the one before last is needed for swaps.
  let before = new Array<number>(b.length + 1).fill(0);
  let last = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(last[j]! + 1, row[j - 1]! + 1, last[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, before[j - 2]! + 1);
      row.push(best);
    }
    before = last;
    last = row;
  }
  return last[b.length]!;
}

/**
 * The candidate `input` most likely meant, or undefined. Case is ignored; a
 * candidate qualifies within a third of its length in edits (at least one),
 * or when one starts with the other (`--allow` for `--allow-destructive`).
 * Ties go to the earlier candidate.
 */
export function closestMatch(input: string, candidates: Iterable<string>): string | undefined {
  const wanted = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const name = candidate.toLowerCase();
    const distance = editDistance(wanted, name);
    const limit = Math.max(1, Math.floor(name.length / 3));
    const prefix = wanted.length >= 3 && (name.startsWith(wanted) || wanted.startsWith(name));
    if ((distance <= limit || prefix) && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * `"; did you mean `schemas`?"` for the closest candidate, or `""`: ready to
 * append to a message. `quote` shapes how the candidate is shown.
 *
 * @example
 * `unknown key "schema"${didYouMean("schema", ["schemas", "out"])}` // 'unknown key "schema"; did you mean "schemas"?'
 */
export function didYouMean(
  input: string,
  candidates: Iterable<string>,
  quote: (candidate: string) => string = (c) => `"${c}"`,
): string {
  const match = closestMatch(input, candidates);
  return match === undefined ? "" : `; did you mean ${quote(match)}?`;
}
