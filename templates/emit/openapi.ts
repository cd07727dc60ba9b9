/** The OpenAPI 3.1 document of the models' REST endpoints (served, per role, at /openapi.json). */
export const openapi = {{document}} as const;
