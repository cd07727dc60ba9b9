/** A spinner on TTYs only; silent elsewhere so logs and CI output stay clean. */
export function startSpinner(
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  text: string,
): () => void {
  if (!stream.isTTY) return () => {};
  const frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
  let i = 0;
  const timer = setInterval(() => stream.write(`\r${frames[i++ % frames.length]} ${text}`), 80);
  return () => {
    clearInterval(timer);
    stream.write("\r\x1b[K");
  };
}
