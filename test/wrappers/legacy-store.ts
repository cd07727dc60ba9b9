/** A store written to the original Perstore contract (put(object, id), create), for wrapper tests. */
export function legacyStore<T extends { id?: string }>() {
  const data = new Map<string, T>();
  return {
    data,
    store: {
      idProperty: "id",
      get: (id: string) => (data.has(id) ? structuredClone(data.get(id)) : undefined),
      put(object: T, id?: string) {
        const key = id ?? object.id ?? `g${data.size + 1}`;
        data.set(key, { ...structuredClone(object), id: key });
        return key;
      },
      create(object: T) {
        const key = object.id ?? `g${data.size + 1}`;
        if (data.has(key)) throw new Error(`${key} exists`);
        data.set(key, { ...structuredClone(object), id: key });
        return key;
      },
      delete: (id: string) => data.delete(id),
    },
  };
}
