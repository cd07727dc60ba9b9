/**
 * perstore studio: a data browser served with the REST server
 * (`perstore studio`). The front end is in app/ (bundled by
 * scripts/build-studio.mjs); this side only serves it.
 */
export { STUDIO_PATH, withStudio } from "./studio-handler.js";
export type { StudioOptions } from "./studio-handler.js";
