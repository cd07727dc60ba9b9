/**
 * "Did you mean …?" for a misspelt name: the closest candidate by edit
 * distance, or one that differs only in case, when it is close enough that
 * the guess helps more than it misleads. Schema keywords take a tighter rule
 * than the CLI's `closestMatch` (a fixed one or two edits), over the same
 * edit distance.
 */
import { editDistance } from "../../errors/did-you-mean.js";

/** The candidate `word` most likely stands for, or undefined. */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate.toLowerCase() === lower) return candidate;
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  // Short words allow one edit, longer ones two: "lnks" -> links, "indexs" -> indexes, "uniqe" -> unique.
  const allowed = word.length <= 4 ? 1 : 2;
  return bestDistance <= allowed ? best : undefined;
}

/** ` (did you mean "links"?)`, or "" when nothing is close. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const match = closestMatch(word, candidates);
  return match === undefined ? "" : ` (did you mean ${JSON.stringify(match)}?)`;
}
