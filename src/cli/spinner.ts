/**
 * A progress line: an animated spinner on a TTY; elsewhere (logs, CI) the
 * text once, as a plain line, unless `quietWithoutTty` (then nothing, so
 * output compared by scripts stays the same).
 */
export function startSpinner(
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  text: string,
  options: { quietWithoutTty?: boolean } = {},
): () => void {
  if (!stream.isTTY) {
    if (!options.quietWithoutTty) stream.write(`${text} ...\n`);
    return () => {};
  }
  const frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
  let i = 0;
  const draw = () => stream.write(`\r${frames[i++ % frames.length]} ${text}`);
  draw();
  const timer = setInterval(draw, 80);
  return () => {
    clearInterval(timer);
    stream.write("\r\x1b[K");
  };
}
