import type { Api } from "./api.js";
import type { LiveFeed } from "./live.js";
import type { ModelInfo } from "./models.js";

/** What a screen gets: the API, the role's models, and whether it is still the screen shown. */
export interface ScreenContext {
  readonly api: Api;
  readonly models: readonly ModelInfo[];
  /** False once the user has moved on: a late answer must not draw over the next screen. */
  readonly current: () => boolean;
  readonly navigate: (hash: string) => void;
  /** The table's live feed (kept open while paging the same table). */
  readonly live: LiveFeed;
  /** Runs `stop` when the screen is left. */
  readonly onLeave: (stop: () => void) => void;
}

export function findModel(context: ScreenContext, name: string): ModelInfo | undefined {
  return context.models.find((model) => model.name === name);
}
