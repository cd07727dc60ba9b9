/**
 * The published package names (`perstore` itself is taken on npm by the
 * original Perstore). Generated code imports only RUNTIME_PACKAGE; the
 * `perstore` command and `<COMPILER_PACKAGE>/compiler` come from
 * COMPILER_PACKAGE. packages/<name>/package.json carry the same names
 * (test/packaging checks they agree).
 */
export const RUNTIME_PACKAGE = "perstore-runtime";
export const COMPILER_PACKAGE = "perstore-kit";
