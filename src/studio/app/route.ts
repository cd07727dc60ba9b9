/** The studio's screens as location hashes, so each has a link, a history entry and a reload. */

export type Route =
  | { readonly screen: "models" }
  | {
      readonly screen: "table";
      readonly model: string;
      readonly query: string;
      readonly sort: string;
      readonly start: number;
    }
  | { readonly screen: "record"; readonly model: string; readonly id: string }
  | { readonly screen: "create"; readonly model: string }
  | { readonly screen: "migrations" };

/** `#/m/Book?q=year=gt=2000&sort=-year&start=25`, `#/m/Book/r/<id>`, `#/m/Book/new`, `#/migrations`, else the model list. */
export function parseRoute(hash: string): Route {
  const [path = "", search = ""] = hash.replace(/^#/, "").split("?", 2) as [string?, string?];
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  if (parts[0] === "migrations" && parts.length === 1) return { screen: "migrations" };
  if (parts[0] !== "m" || parts[1] === undefined) return { screen: "models" };
  const model = parts[1];
  if (parts[2] === "r" && parts[3] !== undefined) return { screen: "record", model, id: parts[3] };
  if (parts[2] === "new") return { screen: "create", model };
  const params = new URLSearchParams(search);
  const start = Number(params.get("start") ?? 0);
  return {
    screen: "table",
    model,
    query: params.get("q") ?? "",
    sort: params.get("sort") ?? "",
    start: Number.isSafeInteger(start) && start > 0 ? start : 0,
  };
}

export function tableHash(
  model: string,
  state: { query?: string; sort?: string; start?: number } = {},
): string {
  const params = new URLSearchParams();
  if (state.query) params.set("q", state.query);
  if (state.sort) params.set("sort", state.sort);
  if (state.start) params.set("start", String(state.start));
  const search = params.toString();
  return `#/m/${encodeURIComponent(model)}${search ? `?${search}` : ""}`;
}

export function recordHash(model: string, id: unknown): string {
  return `#/m/${encodeURIComponent(model)}/r/${encodeURIComponent(String(id))}`;
}

export function createHash(model: string): string {
  return `#/m/${encodeURIComponent(model)}/new`;
}

export const MIGRATIONS_HASH = "#/migrations";
