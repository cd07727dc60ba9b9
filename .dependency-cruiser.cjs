/**
 * The layer rules of ARCHITECTURE.md ("Imports flow one way"), checked in CI
 * by `npm run lint:deps`. Each rule names a layer and what it may not import.
 */
const CONCRETE_STORES = "^src/store/(memory|json-file|sql|remote)/";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "errors-and-codegen-are-leaves",
      comment: "errors/ and codegen/ depend on nothing of ours (codegen may use errors).",
      severity: "error",
      from: { path: "^src/(errors|codegen)/" },
      to: { path: "^src/", pathNot: "^src/(errors|codegen)/" },
    },
    {
      name: "query-uses-only-errors-and-codegen",
      severity: "error",
      from: { path: "^src/query/" },
      to: { path: "^src/", pathNot: "^src/(errors|codegen|query)/" },
    },
    {
      name: "transaction-sees-only-the-store-contract",
      comment: "transaction/ may use the store contract (types, copies) but no concrete store.",
      severity: "error",
      from: { path: "^src/transaction/" },
      to: {
        path: "^src/",
        pathNot: "^src/(errors|codegen|query|transaction)/|^src/store/(types|copy)\\.ts$",
      },
    },
    {
      name: "wrappers-see-only-the-store-contract",
      comment: "A wrapper takes stores and returns a store; it never names a concrete store class.",
      severity: "error",
      from: { path: "^src/wrappers/" },
      to: { path: `${CONCRETE_STORES}|^src/(model|compiler|cli|server|studio)/` },
    },
    {
      name: "stores-below-model",
      severity: "error",
      from: { path: "^src/(store|transaction)/" },
      to: { path: "^src/(wrappers|model|compiler|cli|server|studio)/" },
    },
    {
      name: "model-below-compiler-server-cli",
      severity: "error",
      from: { path: "^src/model/" },
      to: { path: "^src/(compiler|cli|server|studio)/" },
    },
    {
      name: "compiler-never-uses-stores",
      comment:
        "The compiler may use query/ (named queries) and the SQL table spec types, never a store.",
      severity: "error",
      from: { path: "^src/compiler/" },
      to: {
        path: `${CONCRETE_STORES}|^src/(wrappers|server|cli|studio)/`,
        pathNot: "^src/store/sql/table-spec\\.ts$",
      },
    },
    {
      name: "server-below-cli",
      severity: "error",
      from: { path: "^src/server/" },
      to: { path: "^src/(compiler|cli|studio)/" },
    },
    {
      name: "runtime-entry-never-pulls-the-compiler",
      comment:
        "The runtime package (src/index.ts and all it reaches) must not import compiler or cli.",
      severity: "error",
      from: {
        path: "^src/(index|errors|codegen|query|store|transaction|wrappers|model|runtime|server)",
      },
      to: { path: "^src/(compiler|cli)/" },
    },
    {
      name: "no-circular",
      comment:
        "Cycles inside one folder (model/, compiler/emit/) are known debt: reported, not yet failing.",
      severity: "warn",
      from: { path: "^src/" },
      to: { circular: true, dependencyTypesNot: ["type-only"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "types", "default"],
    },
  },
};
