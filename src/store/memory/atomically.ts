/** All-or-nothing changes to a state: each step registers how to undo itself. */

/** Undoes one step. */
export type Undo = () => void;

/** Runs the undo steps newest first. */
export function undoAll(undo: readonly Undo[]): void {
  for (let i = undo.length - 1; i >= 0; i--) undo[i]!();
}

/** Runs `fn`; if it throws, runs the undo steps it registered (newest first) and rethrows. */
export function atomically(fn: (undo: Undo[]) => void): void {
  const undo: Undo[] = [];
  try {
    fn(undo);
  } catch (error) {
    undoAll(undo);
    throw error;
  }
}
