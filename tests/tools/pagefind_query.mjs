// Query a built site's Pagefind index offline, with Pagefind's own search script
// (<site>/pagefind/pagefind.js, the one a reader's browser runs), in Node: its requests for
// the index's files are answered from the folder, so nothing is served or fetched.
//
//   node tests/tools/pagefind_query.mjs SITE_DIR QUERY...
//
// Prints {"filters": {name: {value: count}}, "results": {query: [page address, ...]}}.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [site, ...queries] = process.argv.slice(2);
const root = path.resolve(site);
globalThis.fetch = async (address) => {
  const file = path.join(root, decodeURIComponent(String(address).split(/[?#]/)[0]));
  if (!file.startsWith(root + path.sep)) return new Response(null, { status: 404 });
  try {
    return new Response(await fs.readFile(file));
  } catch {
    return new Response(null, { status: 404 });
  }
};
// pagefind.js is an ES module in a .js file with no package.json saying so: Node 20.19+ detects
// that, Node 18 (Debian 12's, which CI runs) does not, so it is imported from a copy named .mjs.
const copy = await fs.mkdtemp(path.join(os.tmpdir(), "pagefind-query-"));
await fs.copyFile(path.join(root, "pagefind", "pagefind.js"), path.join(copy, "pagefind.mjs"));
let pagefind;
try {
  pagefind = await import(pathToFileURL(path.join(copy, "pagefind.mjs")).href);
} finally {
  await fs.rm(copy, { recursive: true, force: true });
}
await pagefind.options({ basePath: "/pagefind/" });
await pagefind.init();
const results = {};
for (const query of queries) {
  const found = await pagefind.search(query);
  results[query] = await Promise.all(found.results.map(async (result) => (await result.data()).url));
}
console.log(JSON.stringify({ filters: await pagefind.filters(), results }));
