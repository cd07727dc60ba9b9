/**
 * Reads which functions a `prototype` mixin module exports, with ts-morph,
 * without running it.
 */
import { Node, Project } from "ts-morph";

/** Exported function names of each module (sorted), or `undefined` for modules that do not exist. */
export function readMixinExports(files: readonly string[]): Map<string, readonly string[] | undefined> {
  const project = new Project({
    useInMemoryFileSystem: false,
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
    compilerOptions: { allowJs: true, noEmit: true },
  });
  const result = new Map<string, readonly string[] | undefined>();
  for (const file of files) {
    const source = project.addSourceFileAtPathIfExists(file);
    if (!source) {
      result.set(file, undefined);
      continue;
    }
    const names: string[] = [];
    for (const [name, declarations] of source.getExportedDeclarations()) {
      if (name === "default") continue;
      const callable = declarations.some(
        (d) =>
          Node.isFunctionDeclaration(d) ||
          (Node.isVariableDeclaration(d) &&
            (Node.isArrowFunction(d.getInitializer()) || Node.isFunctionExpression(d.getInitializer()))),
      );
      if (callable) names.push(name);
    }
    result.set(file, names.sort());
  }
  return result;
}
