/**
 * Server-sent events read with `fetch` (Node has no EventSource): one
 * connection per subscription, reconnecting with `Last-Event-ID` after a drop
 * so nothing is missed while the server still keeps it.
 */
import type { HttpClient } from "./http-client.js";

export interface SseMessage {
  readonly id?: string;
  readonly event: string;
  readonly data: string;
}

/** Reads `url` as an event stream until `signal` aborts; `onMessage` gets each event. */
export async function readEventStream(
  client: HttpClient,
  url: string,
  onMessage: (message: SseMessage) => void,
  signal: AbortSignal,
  onRefused: (status: number) => void = () => {},
): Promise<void> {
  let lastId: string | undefined;
  let delay = 100;
  while (!signal.aborted) {
    try {
      const headers: Record<string, string> = { accept: "text/event-stream" };
      if (lastId !== undefined) headers["last-event-id"] = lastId;
      const response = await client.send("GET", url, { headers, signal });
      if (response.status >= 400 && response.status < 500) {
        // Refused (no access, bad query): trying again cannot help.
        onRefused(response.status);
        await response.body?.cancel();
        return;
      }
      if (!response.ok || response.body === null) throw new Error(`HTTP ${response.status}`);
      delay = 100;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.search(/\r?\n\r?\n/)) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, "");
          const message = parseBlock(block);
          if (message.id !== undefined) lastId = message.id;
          if (message.event !== undefined) onMessage(message as SseMessage);
        }
      }
    } catch {
      if (signal.aborted) return;
    }
    // Dropped or refused: try again, backing off up to 5 s.
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 5000);
  }
}

function parseBlock(block: string): Partial<SseMessage> {
  const out: { id?: string; event?: string; data?: string } = {};
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "id") out.id = value;
    else if (field === "event") out.event = value;
    else if (field === "data") out.data = out.data === undefined ? value : `${out.data}\n${value}`;
  }
  if (out.data !== undefined) out.event ??= "message";
  return out;
}
