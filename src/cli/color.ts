/**
 * Colour for terminals that show it: never when `NO_COLOR` is set
 * (no-color.org), always when `FORCE_COLOR` is set to anything but `0`,
 * else only on a TTY whose `TERM` is not `dumb`. Styling is `node:util`
 * `styleText` (Node 20.12+; on older releases output stays plain).
 */
import * as util from "node:util";

export interface Paint {
  readonly enabled: boolean;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

/** Whether to colour what is written to `stream`. */
export function colorEnabled(
  stream: { isTTY?: boolean },
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (env["NO_COLOR"] !== undefined && env["NO_COLOR"] !== "") return false;
  const force = env["FORCE_COLOR"];
  if (force !== undefined) return force !== "0" && force !== "false";
  return stream.isTTY === true && env["TERM"] !== "dumb";
}

type Style = "red" | "green" | "yellow" | "cyan" | "dim" | "bold";

/** Stylers for `stream`: plain text when colour is off. */
export function paintFor(stream: { isTTY?: boolean }, env?: NodeJS.ProcessEnv): Paint {
  const styleText = (util as Partial<typeof util>).styleText;
  const enabled = styleText !== undefined && colorEnabled(stream, env);
  // validateStream: false because the decision is made here, for this stream (not process.stdout).
  const style = (format: Style) => (text: string) =>
    enabled ? styleText!(format, text, { validateStream: false }) : text;
  return {
    enabled,
    red: style("red"),
    green: style("green"),
    yellow: style("yellow"),
    cyan: style("cyan"),
    dim: style("dim"),
    bold: style("bold"),
  };
}

/** "1 model", "2 models"; `plural` for irregular words. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
