/**
 * The schema the project's schema files describe now, read without emitting
 * or formatting anything (what `migrate status` compares with the last
 * migration's snapshot).
 */
import { join } from "node:path";
import type { PerstoreConfig } from "../config.js";
import { buildProjectIR } from "../ir/build-ir.js";
import { readMixinExports } from "../load/mixin-exports.js";
import { readSchemaSources } from "../read-schema-sources.js";
import { snapshotFromIR, type Snapshot } from "./snapshot.js";

/** The snapshot of the schemas folder now; throws `SchemaErrors` when the schemas do not compile. */
export async function projectSnapshot(config: PerstoreConfig): Promise<Snapshot> {
  const sources = await readSchemaSources(config);
  const ir = buildProjectIR(sources, {
    readMixins: (modules) => {
      const found = readMixinExports(
        modules.map((m) => join(config.root, m)),
        new Map(),
      );
      return new Map(modules.map((m) => [m, found.get(join(config.root, m))]));
    },
  });
  return snapshotFromIR(ir);
}
