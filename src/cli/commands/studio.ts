/** `perstore studio [--port N] [--host H] [--memory]`: `perstore serve --studio`, on loopback unless --host. */
import type { CommandRun } from "../command.js";
import type { studioOptions } from "../specs/studio-options.js";
import { runServe } from "./serve.js";

export const runStudio: CommandRun<typeof studioOptions> = (args, io) =>
  runServe(
    {
      ...args,
      values: { ...args.values, host: args.values.host ?? "127.0.0.1", studio: true },
    },
    io,
  );
