/**
 * Printing benchmark results: each section as it finishes (so a long run
 * shows progress), then the targets met or not, then the same tables as
 * Markdown, ready to paste into bench/README.md.
 */
import type { Measurement } from "./measure.js";

/** One line of a section: a median CPU time, optionally relative to a baseline. */
export interface ResultRow {
  readonly label: string;
  /** Median CPU time per run, in ms: what ratios are computed from. */
  readonly median: number;
  /** Median wall time per run, in ms. */
  readonly wall?: number;
  /** Operations per run, to also print the time per operation. */
  readonly ops?: number;
  /** The baseline's median: the ratio printed is `median / baseline`. */
  readonly baseline?: number;
  readonly note?: string;
}

/** A target from the issue: `value` must be at most / at least `limit`. */
export interface Target {
  readonly label: string;
  readonly value: number;
  readonly limit: number;
  readonly kind: "at most" | "at least";
}

interface Section {
  readonly title: string;
  readonly rows: readonly ResultRow[];
}

/** `1.23 ms`, `456 µs`, `78 ns` with three significant figures. */
export function formatDuration(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toPrecision(3)} s`;
  if (ms >= 1) return `${ms.toPrecision(3)} ms`;
  if (ms >= 0.001) return `${(ms * 1000).toPrecision(3)} µs`;
  return `${(ms * 1e6).toPrecision(3)} ns`;
}

/** `12.3x`, with two decimals below 10 so near-1 ratios stay readable. */
export function formatRatio(ratio: number): string {
  return `${ratio < 10 ? ratio.toFixed(2) : ratio.toFixed(1)}x`;
}

/** A row from a measurement. */
export function row(
  label: string,
  measurement: Measurement,
  extra: Omit<ResultRow, "label" | "median" | "wall"> = {},
): ResultRow {
  return { label, median: measurement.median, wall: measurement.wallMedian, ...extra };
}

function cells(r: ResultRow): string[] {
  return [
    r.label,
    formatDuration(r.median),
    r.wall === undefined ? "" : formatDuration(r.wall),
    r.ops === undefined ? "" : formatDuration(r.median / r.ops),
    r.baseline === undefined ? "" : formatRatio(r.median / r.baseline),
    r.note ?? "",
  ];
}

function met(t: Target): boolean {
  return t.kind === "at most" ? t.value <= t.limit : t.value >= t.limit;
}

const HEADER = ["case", "cpu / run", "wall / run", "cpu per op", "ratio (cpu)", "note"];

/** Collects sections and targets, printing each as it comes. */
export class BenchReport {
  readonly #sections: Section[] = [];
  readonly #targets: Target[] = [];

  constructor(readonly title: string) {}

  /** Adds and prints a section. */
  section(title: string, rows: readonly ResultRow[]): void {
    this.#sections.push({ title, rows });
    const table = [HEADER, ...rows.map(cells)];
    const widths = HEADER.map((_, i) => Math.max(...table.map((line) => (line[i] ?? "").length)));
    console.log(`\n## ${title}`);
    for (const line of table) {
      console.log(
        line
          .map((cell, i) => cell.padEnd(widths[i] ?? 0))
          .join("  ")
          .trimEnd(),
      );
    }
  }

  /** Records and prints a target. */
  target(target: Target): void {
    this.#targets.push(target);
    console.log(`target: ${describe(target)}`);
  }

  /** Whether every recorded target was met. */
  get allMet(): boolean {
    return this.#targets.every(met);
  }

  /** The whole report as Markdown tables. */
  markdown(): string {
    const lines: string[] = [];
    const md = (cols: readonly string[]) => `| ${cols.join(" | ")} |`;
    for (const s of this.#sections) {
      lines.push(`**${s.title}**`, "", md(HEADER), md(HEADER.map(() => "---")));
      for (const r of s.rows) lines.push(md(cells(r)));
      lines.push("");
    }
    lines.push("**Targets**", "", md(["target", "measured", "limit", "met"]));
    lines.push(md(["---", "---", "---", "---"]));
    for (const t of this.#targets) {
      lines.push(
        md([
          t.label,
          formatRatio(t.value),
          `${t.kind} ${formatRatio(t.limit)}`,
          met(t) ? "yes" : "**no**",
        ]),
      );
    }
    return lines.join("\n");
  }
}

function describe(t: Target): string {
  return `${t.label}: ${formatRatio(t.value)} (${t.kind} ${formatRatio(t.limit)}) ${met(t) ? "MET" : "NOT MET"}`;
}
