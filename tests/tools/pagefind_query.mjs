// Query a built site's Pagefind index offline, with Pagefind's own search script
// (<site>/pagefind/pagefind.js, the one a reader's browser runs), in Node: its requests for
// the index's files are answered from the folder, so nothing is served or fetched.
//
//   node tests/tools/pagefind_query.mjs SITE_DIR QUERY...
//
// Prints {"filters": {name: {value: count}}, "results": {query: [page address, ...]}}.
import fs from "node:fs/promises";
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
const pagefind = await import(pathToFileURL(path.join(root, "pagefind", "pagefind.js")).href);
await pagefind.options({ basePath: "/pagefind/" });
await pagefind.init();
const results = {};
for (const query of queries) {
  const found = await pagefind.search(query);
  results[query] = await Promise.all(found.results.map(async (result) => (await result.data()).url));
}
console.log(JSON.stringify({ filters: await pagefind.filters(), results }));
