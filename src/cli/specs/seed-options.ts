/** The options of `perstore seed`: declared apart from the command so its code can use their types without importing the declaration (no cycle). */
import type { OptionSpecs } from "../command.js";

export const seedOptions = {} as const satisfies OptionSpecs;
