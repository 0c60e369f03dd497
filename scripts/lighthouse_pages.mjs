// Lighthouse's own Node API over several pages in one process and one Chromium, the pages in
// turn (Lighthouse is not meant to run twice at once in one process). scripts/lighthouse.py
// starts one of these per job. Reads its orders as JSON on stdin:
//   {"modules": ".venv-tools/lighthouse/node_modules", "chrome": "/usr/bin/chromium",
//    "chromeFlags": ["--headless=new", ...], "categories": ["accessibility", ...],
//    "pages": [{"url": "http://127.0.0.1:PORT/", "out": "/tmp/home.json"}, ...]}
// and writes each page's report (Lighthouse's JSON, as the CLI's --output=json writes it) to
// its "out". The CLI would start Node, load Lighthouse and launch Chromium for every page,
// then wait seconds for its connection to close; the audits are the same.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const orders = JSON.parse(readFileSync(0, "utf8"));
const load = (path) => import(pathToFileURL(join(orders.modules, path)).href);
const lighthouse = (await load("lighthouse/core/index.js")).default;
const chromeLauncher = await load("chrome-launcher/dist/index.js");

const chrome = await chromeLauncher.launch({ chromePath: orders.chrome, chromeFlags: orders.chromeFlags });
let failed = 0;
try {
  for (const page of orders.pages) {
    try {
      const result = await lighthouse(page.url, {
        port: chrome.port,
        output: "json",
        logLevel: "error",
        onlyCategories: orders.categories,
        maxWaitForLoad: 30000,
        disableFullPageScreenshot: true, // a picture for the HTML report; no score reads it
      });
      writeFileSync(page.out, result.report);
    } catch (error) {
      failed += 1;
      console.error(`lighthouse failed on ${page.url}: ${error?.stack ?? error}`);
    }
  }
} finally {
  await chrome.kill();
}
process.exit(failed ? 1 : 0);
