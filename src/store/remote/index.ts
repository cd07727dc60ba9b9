/** The remote store: the store contract over HTTP, and the HTTP channel. */
export { RemoteStore } from "./remote-store.js";
export type { RemoteStoreOptions } from "./remote-store.js";
export { httpChannel } from "./http-channel.js";
export type { HttpClientOptions } from "./http-client.js";
