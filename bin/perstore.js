#!/usr/bin/env node
// The `perstore` command: runs the compiled CLI in dist/ (built by `npm run build`,
// which `npm install` runs through `prepare` in a checkout of this repository).
let cli;
try {
  cli = await import("../dist/cli/index.js");
} catch (error) {
  if (
    error?.code === "ERR_MODULE_NOT_FOUND" &&
    String(error.message).includes("dist/cli/index.js")
  ) {
    console.error(
      "perstore: dist/ is missing; run `npm run build` in the perstore package first [CLI_NOT_BUILT]",
    );
    process.exit(1);
  }
  throw error;
}

cli.main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(cli.describeThrown(error));
    process.exit(1);
  },
);
