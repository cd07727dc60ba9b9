/** The options of `perstore studio`: those of `perstore serve`, but for --studio, which it implies. */
import type { OptionSpecs } from "../command.js";
import { serveOptions } from "./serve-options.js";

const { studio: _implied, ...options } = serveOptions;

export const studioOptions = {
  ...options,
  host: {
    ...options.host,
    description: "interface to listen on (default: 127.0.0.1, loopback only)",
  },
} as const satisfies OptionSpecs;
