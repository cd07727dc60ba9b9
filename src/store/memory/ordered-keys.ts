/**
 * The ordered part of a field index: the distinct keys of one type, sorted,
 * for ranges and prefixes by binary search (ids come from the hash buckets).
 * New keys are queued and merged at the next range query, and keys whose
 * bucket emptied are skipped and compacted away later, so bulk writes never
 * pay a splice per record.
 */

export class OrderedKeys<K extends number | string> {
  private sorted: K[];
  private pending: K[] = [];
  private stale = 0;

  constructor(
    keys: Iterable<K>,
    private readonly compare: (a: K, b: K) => number,
  ) {
    this.sorted = [...keys].sort(compare);
  }

  /** A key got its first id. */
  added(key: K): void {
    this.pending.push(key);
  }

  /** A key lost its last id. */
  removed(): void {
    this.stale++;
  }

  /** Keys from `lower` to `upper` (each bound optional), in order; `has` tells live keys. */
  range(
    lower: { value: K; inclusive: boolean } | undefined,
    upper: { value: K; inclusive: boolean } | undefined,
    has: (key: K) => boolean,
  ): K[] {
    this.settle(has);
    const keys = this.sorted;
    const from = lower === undefined ? 0 : this.search(lower.value, !lower.inclusive);
    const to = upper === undefined ? keys.length : this.search(upper.value, upper.inclusive);
    const out: K[] = [];
    for (let i = from; i < to; i++) if (has(keys[i]!)) out.push(keys[i]!);
    return out;
  }

  /** String keys starting with `prefix` (they are contiguous in code point order). */
  prefix(prefix: string, has: (key: K) => boolean): K[] {
    this.settle(has);
    const keys = this.sorted;
    const out: K[] = [];
    for (let i = this.search(prefix as K, false); i < keys.length; i++) {
      const key = keys[i]!;
      if (!(key as string).startsWith(prefix)) break;
      if (has(key)) out.push(key);
    }
    return out;
  }

  /** Every live key in order (or in reverse), read lazily: a sorted page stops after its first few. */
  *walk(descending: boolean, has: (key: K) => boolean): Generator<K> {
    this.settle(has);
    const keys = this.sorted;
    if (descending) {
      for (let i = keys.length - 1; i >= 0; i--) if (has(keys[i]!)) yield keys[i]!;
    } else {
      for (let i = 0; i < keys.length; i++) if (has(keys[i]!)) yield keys[i]!;
    }
  }

  /** First index whose key is > value (after = true) or >= value (after = false). */
  private search(value: K, after: boolean): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.compare(this.sorted[mid]!, value);
      if (c < 0 || (after && c === 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private settle(has: (key: K) => boolean): void {
    if (this.pending.length > 0) {
      const pending = this.pending;
      this.pending = [];
      if (pending.length <= 16) {
        for (const key of pending) {
          const at = this.search(key, false);
          if (at >= this.sorted.length || this.compare(this.sorted[at]!, key) !== 0)
            this.sorted.splice(at, 0, key);
        }
      } else this.sorted = this.merge(this.sorted, pending.sort(this.compare));
    }
    if (this.stale > 64 && this.stale * 2 > this.sorted.length) {
      this.sorted = this.sorted.filter(has);
      this.stale = 0;
    }
  }

  private merge(a: K[], b: K[]): K[] {
    const out: K[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
      const c = i >= a.length ? 1 : j >= b.length ? -1 : this.compare(a[i]!, b[j]!);
      const next = c <= 0 ? a[i++]! : b[j++]!;
      if (c === 0) j++;
      if (out.length === 0 || this.compare(out[out.length - 1]!, next) !== 0) out.push(next);
    }
    return out;
  }
}
