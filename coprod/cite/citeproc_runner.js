// Renders CSL-JSON items with citeproc-js (the processor Zotero runs), for coprod/cite/processor.py.
//
// One process per build. It reads one JSON request a line on stdin and writes one JSON answer
// a line on stdout; it reads no file and opens no connection: the citeproc package's path, the
// styles and the locales all come in the first request (styles and locales as XML text).
//
//   {"init": {"citeproc": path, "styles": {name: xml}, "locales": {lang: xml}}}  -> {"ok": true}
//   {"style": name, "format": "html"|"text", "items": [...], "together": true,
//    "clusters": [[{"id": ..., "author-only": true}, ...], ...]}
//      -> {"ids": [...], "entries": [...], "clusters": [...]}
//
// "together": the items form one bibliography (sorted and disambiguated by the style: year
// suffixes, added names); otherwise each item is rendered alone, as a page's "Cite this page"
// cites one page. An error answers {"error": message}.
"use strict";

const readline = require("readline");

// stdout carries the answers only: anything the processor prints goes to stderr
console.log = console.info = console.warn = (...args) => process.stderr.write(args.join(" ") + "\n");

let CSL = null;
let styles = {};
let locales = {};
const engines = {};

function engine(style, items) {
  const system = {
    retrieveLocale: (lang) => locales[lang] || locales["en-US"],
    retrieveItem: (id) => items[id],
  };
  const made = new CSL.Engine(system, styles[style]);
  made.opt.development_extensions.wrap_url_and_doi = true; // links for DOIs and URLs
  return made;
}

let requests = 0;

// The engine keeps what it read of an item by its id, so each request's items get ids of
// their own ("r7:0", "r7:1", ...): an id used again with other data is never answered from
// an earlier request. Answers give the caller's ids back.
function render(request) {
  if (!(request.style in styles)) throw new Error(`unknown style ${request.style}`);
  requests += 1;
  const ours = {};
  const theirs = {};
  request.items.forEach((item, index) => {
    const id = `r${requests}:${index}`;
    ours[item.id] = id;
    theirs[id] = item.id;
  });
  if (!engines[request.style]) {
    const held = { items: {} };
    held.engine = engine(request.style, held.items);
    engines[request.style] = held;
  }
  const held = engines[request.style];
  for (const id of Object.keys(held.items)) delete held.items[id];
  for (const item of request.items) held.items[ours[item.id]] = Object.assign({}, item, { id: ours[item.id] });
  const csl = held.engine;
  csl.setOutputFormat(request.format || "html");
  const ids = request.items.map((item) => ours[item.id]);
  const answer = { ids: [], entries: [], clusters: [] };
  if (request.together) {
    csl.updateItems(ids);
    const [meta, entries] = ids.length ? csl.makeBibliography() : [{ entry_ids: [] }, []];
    answer.ids = meta.entry_ids.map((entry) => theirs[entry[0]]);
    answer.entries = entries;
    answer.clusters = (request.clusters || []).map((cluster) =>
      csl.makeCitationCluster(cluster.map((cite) => Object.assign({}, cite, { id: ours[cite.id] }))));
  } else {
    for (const id of ids) {
      csl.updateItems([id]);
      answer.ids.push(theirs[id]);
      answer.entries.push(csl.makeBibliography()[1][0]);
    }
  }
  return answer;
}

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on("line", (line) => {
  let answer;
  try {
    const request = JSON.parse(line);
    if (request.init) {
      CSL = require(request.init.citeproc);
      styles = request.init.styles;
      locales = request.init.locales;
      answer = { ok: true, version: CSL.PROCESSOR_VERSION };
    } else {
      answer = render(request);
    }
  } catch (error) {
    answer = { error: String((error && error.stack) || error) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
});
