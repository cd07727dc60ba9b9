import { defineCommand } from "../command.js";
import { studioOptions } from "./studio-options.js";

export const studioCommand = defineCommand({
  name: "studio",
  summary: "browse and edit the data in a browser (perstore serve --studio, on loopback)",
  description: `Serves the models over HTTP as \`perstore serve\` does, plus perstore studio,
a data browser, at /_studio/: models with their record counts, tables paged
with Range requests, sorting, an RQL bar, and records edited as JSON (saved
with If-Match, so a concurrent change is reported, never overwritten).

The page talks only to the REST endpoints, as the role of the token it signs
in with: it sees and may do exactly what that role's facets allow. It listens
on 127.0.0.1 unless --host says otherwise; every asset ships in the package.`,
  options: studioOptions,
  load: async () => (await import("../commands/studio.js")).runStudio,
});
