/*
 * Filters for the case-study catalogue (/case-studies/).
 *
 * Without this script the catalogue is a static, paginated list with "Browse by" links
 * (each term with its number of case studies; terms with none are not offered).
 * With it, the page gets a search box, a sort choice and one group of checkboxes per
 * facet: several terms of one facet widen the list (OR), facets narrow it (AND), and each
 * option's count is the number of case studies the list would hold once it is chosen,
 * recounted after every search and filter. The state is kept in the URL query
 * (?setting=mental-health&setting=children-and-young-people&q=peer&sort=title) so a view
 * can be linked. On a phone the facets wait behind a "Filter" button, in a panel that
 * ends with "Show N results"; the count and the chosen filters stay in view above the list.
 *
 * One card: the results are the page's own cards (coprod/pages/listing.py), moved, never
 * rebuilt; a case study from another page of a long catalogue is shown by a copy of the
 * <template> card the page holds, made from the same template as every card
 * (overrides/partials/coprod/card.html), filled with its text from the data file. One
 * search: typed words go to Pagefind, the header's engine, and its order is "Best match";
 * the facets and counts come from data/catalogue.json (each case study's terms). Nothing
 * is fetched until the reader filters or types. If Pagefind cannot be loaded, the words
 * are looked for in titles and summaries instead.
 *
 * Export: the case studies in the list as CSV, RIS or BibTeX, made here from the data
 * file, saved by the browser (nothing is sent anywhere).
 *
 * Safety: text from the index or the data file is only ever written with textContent /
 * createElement (never innerHTML); cards come from this page itself (its cards, or its
 * template card filled with textContent); links are
 * built only from a /case-studies/<id>/ address under the site's root, and nothing is
 * fetched from another origin.
 */
(function () {
  "use strict";

  var MARKER_ID = "catalogue-filters";
  var CARD_TEMPLATE_ID = "catalogue-card"; // coprod/pages/catalogue.py
  var SLOT = "\u2026"; // the template card's stand-in for each value
  var SAFE_URL = /^\/case-studies\/[a-z0-9]+(?:-[a-z0-9]+)*\/$/;
  var STEP = 50; // results shown at first, and added by "Show more"
  var SEARCH_DELAY = 250; // ms after the last key press before the list is narrowed
  var PHONE = "(max-width: 44.9844em)";

  function element(tag, properties, children) {
    var node = document.createElement(tag);
    Object.keys(properties || {}).forEach(function (name) {
      if (name === "text") {
        node.textContent = properties[name];
      } else if (name in node && name.indexOf("aria") !== 0) {
        node[name] = properties[name];
      } else {
        node.setAttribute(name, properties[name]);
      }
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function text(value) {
    return typeof value === "string" ? value : "";
  }

  function plural(n, one, many) {
    return n + " " + (n === 1 ? one : many);
  }

  // ------------------------------------------------------------------------------------
  // What the page itself holds: facets and counts ("Browse by"), cards, count line, pager.

  /* The facets, their labels and their terms' labels from the page's "Browse by" lists:
     "### Principle" then links to ../principles/<key>/ ending "(12)". Which folder is which
     facet comes from the build (data-facet-folders, from the schema's x-facet and x-folder). */
  function readPageFacets(mount, siteRoot) {
    var facets = [];
    var byName = {};
    var folders = {};
    var keywords = [];
    try {
      folders = JSON.parse(mount.getAttribute("data-facet-folders") || "{}");
      keywords = JSON.parse(mount.getAttribute("data-facet-keywords") || "[]");
    } catch (error) {
      folders = {};
    }
    for (var node = mount.nextElementSibling; node; node = node.nextElementSibling) {
      var heading = node.previousElementSibling;
      if (node.tagName !== "UL" || !heading || heading.tagName !== "H3") {
        continue;
      }
      var label = heading.textContent.replace(/\u00b6/g, "").trim();
      Array.prototype.forEach.call(node.querySelectorAll("li"), function (item) {
        var link = item.querySelector("a[href]");
        var counted = /\((\d+)\)\s*$/.exec(item.textContent);
        var path;
        try {
          path = link ? new URL(link.getAttribute("href"), document.baseURI).pathname : "";
        } catch (error) {
          return;
        }
        if (!path || path.indexOf(siteRoot.pathname) !== 0) {
          return;
        }
        var parts = path.slice(siteRoot.pathname.length).split("/");
        var name = Object.prototype.hasOwnProperty.call(folders, parts[0]) ? folders[parts[0]] : null;
        var key = parts[1];
        if (!name || !key || parts.length !== 3 || parts[2] !== "") {
          return;
        }
        if (!byName[name]) {
          byName[name] = { name: name, label: label || name, terms: [], labels: {}, counts: {},
                           keywords: Array.isArray(keywords) && keywords.indexOf(name) >= 0 };
          facets.push(byName[name]);
        }
        if (!(key in byName[name].labels)) {
          byName[name].terms.push(key);
          byName[name].labels[key] = link.textContent.trim() || key;
          byName[name].counts[key] = counted ? parseInt(counted[1], 10) : 0;
        }
      });
    }
    return facets;
  }

  /* The static page's count line, list and pager, between the marker and the next heading. */
  function staticNodes(mount) {
    var nodes = [];
    var node = mount.nextElementSibling;
    while (node && !/^H[1-6]$/.test(node.tagName)) {
      nodes.push(node);
      node = node.nextElementSibling;
    }
    return nodes;
  }

  /* A card's address under the site's root ("/case-studies/<id>/"), or "" if it is not one. */
  function cardAddress(card, siteRoot, base) {
    var link = card.querySelector("a.coprod-card__link[href]");
    if (!link) {
      return "";
    }
    var url;
    try {
      url = new URL(link.getAttribute("href"), base);
    } catch (error) {
      return "";
    }
    if (url.origin !== siteRoot.origin || url.pathname.indexOf(siteRoot.pathname) !== 0) {
      return "";
    }
    var address = "/" + url.pathname.slice(siteRoot.pathname.length);
    if (!SAFE_URL.test(address)) {
      return "";
    }
    link.setAttribute("href", url.pathname); // the same card works on any page of the catalogue
    return address;
  }

  // ------------------------------------------------------------------------------------
  // The data file: each case study's terms, checked (anything of an unexpected shape is
  // left out).

  function readCases(data, facets) {
    var cases = [];
    (Array.isArray(data.case_studies) ? data.case_studies : []).forEach(function (raw, order) {
      if (!raw || typeof raw !== "object" || !SAFE_URL.test(text(raw.url))) {
        return;
      }
      var keys = {};
      facets.forEach(function (facet) {
        var values = raw.facets && Array.isArray(raw.facets[facet.name]) ? raw.facets[facet.name] : [];
        keys[facet.name] = values.filter(function (value) {
          return typeof value === "string";
        });
      });
      var outcomes = (Array.isArray(raw.outcomes) ? raw.outcomes : []).filter(function (outcome) {
        return outcome && typeof outcome === "object";
      });
      cases.push({
        id: text(raw.id), title: text(raw.title) || text(raw.id), summary: text(raw.summary),
        years: text(raw.years), url: text(raw.url), retracted: raw.retracted === true, keys: keys, order: order,
        outcomes: outcomes,
        haystack: (text(raw.title) + " " + text(raw.summary)).toLowerCase()
      });
    });
    return cases;
  }

  function readDataFacets(data) {
    var facets = [];
    (Array.isArray(data.facets) ? data.facets : []).forEach(function (facet) {
      if (!facet || typeof facet.name !== "string" || !/^[a-z][a-z0-9_-]*$/.test(facet.name)) {
        return;
      }
      var result = { name: facet.name, label: text(facet.label) || facet.name, terms: [], labels: {}, counts: {},
                     keywords: facet.keywords === true };
      (Array.isArray(facet.terms) ? facet.terms : []).forEach(function (term) {
        if (Array.isArray(term) && typeof term[0] === "string" && !(term[0] in result.labels)) {
          result.terms.push(term[0]);
          result.labels[term[0]] = text(term[1]) || term[0];
        }
      });
      facets.push(result);
    });
    return facets;
  }

  // ------------------------------------------------------------------------------------
  // Counting: the list, and what each option would make of it.

  function hasAny(item, name, keys) {
    var own = item.keys[name] || [];
    for (var i = 0; i < keys.length; i++) {
      if (own.indexOf(keys[i]) !== -1) {
        return true;
      }
    }
    return false;
  }

  /* Does ``item`` pass every chosen facet but ``skip``? */
  function passesOthers(item, chosen, skip) {
    return Object.keys(chosen).every(function (name) {
      return name === skip || !chosen[name].length || hasAny(item, name, chosen[name]);
    });
  }

  /* With ``same`` (two facet names, from the address ?same=outcome,evidence: the evidence
     map's first view), a case study is kept only if one of its outcomes has a chosen term
     of both facets: the area and the kind of evidence of the same outcome. */
  function sameOutcome(item, chosen, same) {
    if (!same || !(chosen[same[0]] || []).length || !(chosen[same[1]] || []).length) {
      return true;
    }
    return item.outcomes.some(function (outcome) {
      return chosen[same[0]].indexOf(outcome[same[0]]) !== -1 && chosen[same[1]].indexOf(outcome[same[1]]) !== -1;
    });
  }

  /* For each facet and term, the number of case studies the list would hold once the term
     is chosen (for a term already chosen: how many of the listed case studies have it). */
  function optionCounts(facets, pool, chosen) {
    var result = {};
    facets.forEach(function (facet) {
      var own = chosen[facet.name] || [];
      var counts = {};
      pool.forEach(function (item) {
        if (!passesOthers(item, chosen, facet.name)) {
          return;
        }
        var inList = !own.length || hasAny(item, facet.name, own);
        facet.terms.forEach(function (key) {
          var has = (item.keys[facet.name] || []).indexOf(key) !== -1;
          var chosenKey = own.indexOf(key) !== -1;
          if (chosenKey ? has && inList : has || inList && own.length) {
            counts[key] = (counts[key] || 0) + 1;
          }
        });
      });
      result[facet.name] = counts;
    });
    return result;
  }

  // ------------------------------------------------------------------------------------
  // The export: what is listed, as CSV, RIS or BibTeX.

  function csvCell(value) {
    var s = String(value);
    return /[",\r\n]/.test(s) || /^[=+\-@\t]/.test(s) ? "\"" + (/^[=+\-@\t]/.test(s) ? "'" : "") + s.replace(/"/g, "\"\"") + "\"" : s;
  }

  function exportText(format, items, facets, siteRoot) {
    var address = function (item) {
      return new URL(item.url.slice(1), siteRoot).href;
    };
    var labels = function (item, name) {
      var facet = facets.filter(function (f) {
        return f.name === name;
      })[0];
      return (item.keys[name] || []).map(function (key) {
        return facet && facet.labels[key] ? facet.labels[key] : key;
      });
    };
    if (format === "csv") {
      var header = ["id", "title", "summary", "years", "address"].concat(facets.map(function (f) {
        return f.label;
      }));
      return [header].concat(items.map(function (item) {
        return [item.id, item.title, item.summary, item.years, address(item)].concat(facets.map(function (f) {
          return labels(item, f.name).join("; ");
        }));
      })).map(function (row) {
        return row.map(csvCell).join(",");
      }).join("\r\n") + "\r\n";
    }
    if (format === "ris") {
      return items.map(function (item) {
        var lines = ["TY  - GEN", "TI  - " + item.title.replace(/\s+/g, " "), "UR  - " + address(item)];
        var year = /\d{4}/.exec(item.years);
        if (year) {
          lines.push("PY  - " + year[0]);
        }
        if (item.summary) {
          lines.push("AB  - " + item.summary.replace(/\s+/g, " "));
        }
        facets.filter(function (f) {
          return f.keywords;
        }).forEach(function (f) {
          labels(item, f.name).forEach(function (word) {
            lines.push("KW  - " + word);
          });
        });
        return lines.concat(["ER  - ", ""]).join("\r\n");
      }).join("");
    }
    var brace = function (value) {
      return "{" + String(value).replace(/[\\{}]/g, "").replace(/([&%$#_])/g, "\\$1").replace(/\s+/g, " ") + "}";
    };
    return items.map(function (item) {
      var fields = ["  title = " + brace(item.title), "  howpublished = {\\url{" + address(item).replace(/[{}\\%]/g, "") + "}}"];
      var year = /\d{4}/.exec(item.years);
      if (year) {
        fields.push("  year = {" + year[0] + "}");
      }
      if (item.summary) {
        fields.push("  note = " + brace(item.summary));
      }
      return "@misc{" + item.id.replace(/[^A-Za-z0-9_-]/g, "") + ",\n" + fields.join(",\n") + "\n}\n";
    }).join("\n");
  }

  // ------------------------------------------------------------------------------------
  // The page.

  function start() {
    var mount = document.getElementById(MARKER_ID);
    if (!mount || mount.getAttribute("data-ready")) {
      return;
    }
    var source = mount.getAttribute("data-catalogue");
    var dataUrl;
    try {
      dataUrl = new URL(source || "", document.baseURI);
    } catch (error) {
      return;
    }
    if (!source || dataUrl.origin !== window.location.origin) {
      return; // the static list stays
    }
    var siteRoot = new URL("../", dataUrl); // data/catalogue.json is one folder down
    var facets = readPageFacets(mount, siteRoot);
    if (facets.length) {
      build(mount, facets, dataUrl, siteRoot);
      return;
    }
    // no "Browse by" lists on this page: the facets come from the data file
    mount.setAttribute("data-ready", "loading");
    loadJson(dataUrl).then(function (data) {
      var fromData = readDataFacets(data);
      var cases = readCases(data, fromData);
      var counts = optionCounts(fromData, cases, {});
      fromData.forEach(function (facet) {
        facet.counts = counts[facet.name];
      });
      mount.removeAttribute("data-ready");
      build(mount, fromData, dataUrl, siteRoot, data);
    }, function () {
      mount.removeAttribute("data-ready"); // the static list stays usable
    });
  }

  function loadJson(url) {
    return fetch(url.href, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) {
        throw new Error("catalogue data: HTTP " + response.status);
      }
      return response.json();
    });
  }

  function loadPagefind(siteRoot) {
    var url = new URL("pagefind/pagefind.js", siteRoot);
    if (url.origin !== window.location.origin) {
      return Promise.reject(new Error("the index must be on this site"));
    }
    return import(url.href).then(function (pagefind) {
      return Promise.resolve(pagefind.options({ baseUrl: siteRoot.pathname, excerptLength: 24 })).then(function () {
        return pagefind;
      });
    });
  }

  /* Pagefind's id for each case study's page -> its address (ADDRESSES in
     coprod/search/pagefind_stream.py, written with the index): a result's own address is
     only in its fragment, one request per match. {} if it cannot be had (then each
     result's fragment is fetched, as before). */
  function loadAddresses(siteRoot) {
    var url = new URL("pagefind/case-study-addresses.json", siteRoot);
    if (url.origin !== window.location.origin) {
      return Promise.resolve({});
    }
    return loadJson(url).then(function (known) {
      return known && typeof known === "object" && !Array.isArray(known) ? known : {};
    }, function () {
      return {};
    });
  }

  function build(mount, facets, dataUrl, siteRoot, preloaded) {
    var pageNodes = staticNodes(mount);
    var countLine = pageNodes.length && pageNodes[0].tagName === "P" ? pageNodes[0].textContent : "";
    var counted = /^\s*([\d,]+)\s/.exec(countLine);
    var total = counted ? parseInt(counted[1].replace(/,/g, ""), 10) : 0;
    var pager = pageNodes.filter(function (node) {
      return node.id === "catalogue-pager";
    })[0];
    var pageCards = [];
    var cards = {}; // address -> the page's own <li class="coprod-card">
    pageNodes.forEach(function (node) {
      if (node.tagName === "UL") {
        Array.prototype.forEach.call(node.querySelectorAll("li.coprod-card"), function (card) {
          var address = cardAddress(card, siteRoot, document.baseURI);
          if (address) {
            cards[address] = card;
            pageCards.push(card);
          }
        });
      }
    });

    // ---- the controls
    var search = element("input", { type: "search", id: "catalogue-search", name: "q", autocomplete: "off" });
    var sort = element("select", { id: "catalogue-sort", name: "sort" }, [
      element("option", { value: "relevance", text: "Best match" }),
      element("option", { value: "newest", text: "Newest first" }),
      element("option", { value: "title", text: "Title A to Z" })
    ]);
    var compact = element("input", { type: "checkbox", id: "catalogue-compact" });
    var groups = facets.map(function (facet) {
      var boxes = {};
      var items = facet.terms.map(function (key) {
        var id = "catalogue-" + facet.name + "-" + key;
        var box = element("input", { type: "checkbox", id: id, name: facet.name, value: key });
        var count = element("span", { className: "catalogue-option__count", text: "(" + (facet.counts[key] || 0) + ")" });
        var label = element("label", { htmlFor: id }, [facet.labels[key] + " ", count]);
        var line = element("li", { className: "catalogue-option" }, [box, label]);
        boxes[key] = { box: box, count: count, line: line };
        return line;
      });
      var chosenNote = element("span", { className: "catalogue-facet__chosen" });
      var summary = element("summary", {}, [element("span", { text: facet.label }), chosenNote]);
      var fieldset = element("fieldset", {}, [
        element("legend", { className: "coprod-sr-only", text: facet.label }),
        element("ul", { className: "catalogue-options" }, items)
      ]);
      var details = element("details", { className: "catalogue-facet", id: "catalogue-facet-" + facet.name }, [summary, fieldset]);
      return { facet: facet, boxes: boxes, details: details, chosenNote: chosenNote };
    });
    var clear = element("button", { type: "button", className: "md-button", text: "Clear filters" });
    var showResults = element("button", { type: "button", className: "md-button md-button--primary catalogue-show", text: "Show results" });
    var close = element("button", { type: "button", className: "md-button catalogue-close", text: "Close" });
    var panel = element("div", {
      id: "catalogue-panel", className: "catalogue-panel", role: "group", "aria-labelledby": "catalogue-panel-title"
    }, [
      element("div", { className: "catalogue-panel__head" }, [element("h2", { id: "catalogue-panel-title", text: "Filters" }), close]),
      element("div", { className: "catalogue-panel__body" }, groups.map(function (group) {
        return group.details;
      })),
      element("div", { className: "catalogue-panel__foot" }, [showResults, clear])
    ]);
    var toggle = element("button", {
      type: "button", className: "md-button catalogue-toggle", "aria-expanded": "false",
      "aria-controls": "catalogue-panel", text: "Filter"
    });
    var form = element("form", { className: "catalogue-filters", role: "search", "aria-label": "Search and filter the case studies" }, [
      element("p", { className: "catalogue-search" }, [element("label", { htmlFor: "catalogue-search", text: "Search the case studies" }), search]),
      panel
    ]);
    var status = element("p", { id: "catalogue-status", role: "status", "aria-live": "polite" });
    var chips = element("ul", { className: "catalogue-chips", "aria-label": "Chosen filters" });
    var bar = element("div", { className: "catalogue-bar" }, [
      element("div", { className: "catalogue-bar__line" }, [status, toggle]), chips
    ]);
    var exportLinks = ["csv", "ris", "bib"].map(function (format) {
      return element("button", { type: "button", className: "catalogue-export__button", "data-format": format,
        text: { csv: "CSV (spreadsheet)", ris: "RIS (reference manager)", bib: "BibTeX" }[format] });
    });
    var tools = element("div", { className: "catalogue-tools" }, [
      element("p", { className: "catalogue-sort" }, [element("label", { htmlFor: "catalogue-sort", text: "Sort by" }), sort]),
      element("p", { className: "catalogue-compact" }, [compact, element("label", { htmlFor: "catalogue-compact", text: "Compact list" })]),
      element("details", { className: "catalogue-export" }, [
        element("summary", { text: "Download this list" }),
        element("p", { text: "The case studies listed here, made in your browser:" }),
        element("p", { className: "catalogue-export__buttons" }, exportLinks)
      ])
    ]);
    var list = element("ul", { id: "catalogue-results", className: "coprod-cards" });
    var more = element("button", { type: "button", className: "md-button", text: "Show more" });
    var moreLine = element("p", {}, [more]);
    var results = element("div", { className: "catalogue-results" }, [bar, tools, list, moreLine]);
    var root = element("div", { className: "catalogue-layout" }, [form, results]);

    // ---- the state
    var cases = null; // from the data file, once loaded
    var dataPromise = preloaded ? Promise.resolve(preloaded) : null;
    var engine = null;
    var addresses = null; // loadAddresses, once
    var searched = {}; // query -> ordered addresses (Pagefind), or null when it failed
    var latest = 0;
    var matches = []; // the listed case studies (data records), in order
    var shown = STEP;
    var sortChosen = false;
    var same = null; // two facet names whose chosen terms hold for one outcome (see sameOutcome)

    function loadData() {
      if (!dataPromise) {
        dataPromise = loadJson(dataUrl);
      }
      return dataPromise.then(function (data) {
        if (!cases) {
          cases = readCases(data, facets);
        }
        return cases;
      });
    }

    function loadEngine() {
      if (!engine) {
        engine = loadPagefind(siteRoot);
        engine.catch(function () { /* answered in find */ });
      }
      return engine;
    }

    /* The addresses the typed words find, best first: Pagefind, the header's engine; null
       if it cannot be loaded (then the words are looked for in titles and summaries). */
    function find(query) {
      if (!query) {
        return Promise.resolve(null);
      }
      if (Object.prototype.hasOwnProperty.call(searched, query)) {
        return Promise.resolve(searched[query]);
      }
      if (!addresses) {
        addresses = loadAddresses(siteRoot);
      }
      return Promise.all([loadEngine(), addresses]).then(function (both) {
        var known = both[1];
        return both[0].search(query, { filters: { kind: "case-study" } }).then(function (found) {
          return Promise.all((found && found.results || []).map(function (result) {
            if (Object.prototype.hasOwnProperty.call(known, result.id) && typeof known[result.id] === "string") {
              return known[result.id];
            }
            return result.data().then(function (data) {
              var path = String(data && data.url || "");
              return path.indexOf(siteRoot.pathname) === 0 ? "/" + path.slice(siteRoot.pathname.length) : "";
            });
          }));
        });
      }).then(function (found) {
        var ordered = found.filter(function (address) {
          return SAFE_URL.test(address);
        });
        searched[query] = ordered;
        return ordered;
      }, function () {
        searched[query] = null;
        return null;
      });
    }

    function chosenTerms() {
      var chosen = {};
      groups.forEach(function (group) {
        var keys = group.facet.terms.filter(function (key) {
          return group.boxes[key].box.checked;
        });
        if (keys.length) {
          chosen[group.facet.name] = keys;
        }
      });
      return chosen;
    }

    function current() {
      var query = search.value.trim();
      if (!sortChosen) {
        sort.value = query ? "relevance" : "newest";
      }
      return { query: query, chosen: chosenTerms(), sort: sort.value };
    }

    function keepInAddress(state) {
      var params = new URLSearchParams(window.location.search);
      ["q", "sort"].concat(facets.map(function (facet) {
        return facet.name;
      })).forEach(function (name) {
        params.delete(name);
      });
      if (state.query) {
        params.set("q", state.query);
      }
      Object.keys(state.chosen).forEach(function (name) {
        state.chosen[name].forEach(function (key) {
          params.append(name, key);
        });
      });
      if (sortChosen) {
        params.set("sort", state.sort);
      }
      params.delete("same");
      if (same) {
        params.set("same", same.join(","));
      }
      var encoded = params.toString();
      var address = window.location.pathname + (encoded ? "?" + encoded : "") + window.location.hash;
      window.history.replaceState(window.history.state, "", address);
    }

    function restoreFromAddress() {
      var params = new URLSearchParams(window.location.search);
      search.value = params.get("q") || "";
      groups.forEach(function (group) {
        var wanted = params.getAll(group.facet.name);
        group.facet.terms.forEach(function (key) {
          group.boxes[key].box.checked = wanted.indexOf(key) !== -1;
        });
        group.details.open = group.details.open || wanted.length > 0;
      });
      var pair = (params.get("same") || "").split(",");
      same = pair.length === 2 && pair.every(function (name) {
        return groups.some(function (group) {
          return group.facet.name === name;
        });
      }) ? pair : null;
      var wantedSort = params.get("sort");
      sortChosen = ["relevance", "newest", "title"].indexOf(wantedSort) !== -1;
      if (sortChosen) {
        sort.value = wantedSort;
      }
    }

    function showCounts(counts, chosen) {
      var any = false;
      groups.forEach(function (group) {
        var own = chosen[group.facet.name] || [];
        group.facet.terms.forEach(function (key) {
          var n = counts[group.facet.name][key] || 0;
          var option = group.boxes[key];
          option.count.textContent = "(" + n + ")";
          option.line.hidden = !n && !option.box.checked; // nothing to find there: not offered
        });
        group.chosenNote.textContent = own.length ? " (" + own.length + " chosen)" : "";
        group.details.hidden = group.facet.terms.every(function (key) {
          return group.boxes[key].line.hidden;
        });
        any = any || own.length > 0;
      });
      clear.hidden = !any && !search.value.trim();
    }

    function showChips(state) {
      var chosen = [];
      groups.forEach(function (group) {
        (state.chosen[group.facet.name] || []).forEach(function (key) {
          chosen.push({ group: group, key: key });
        });
      });
      toggle.textContent = chosen.length ? "Filter (" + chosen.length + ")" : "Filter";
      chips.replaceChildren();
      chips.hidden = !chosen.length;
      chosen.forEach(function (entry) {
        var label = entry.group.facet.label + ": " + entry.group.facet.labels[entry.key];
        var button = element("button", { type: "button", className: "catalogue-chip", "aria-label": "Remove filter " + label }, [
          element("span", { text: label }), element("span", { "aria-hidden": "true", text: " \u00d7" })]);
        button.addEventListener("click", function () {
          entry.group.boxes[entry.key].box.checked = false;
          apply().then(function () {
            var next = chips.querySelector("button");
            (next || search).focus();
          });
        });
        chips.appendChild(element("li", {}, [button]));
      });
      if (same && (state.chosen[same[0]] || []).length && (state.chosen[same[1]] || []).length) {
        var sameLabel = "Both for the same outcome";
        var sameButton = element("button", { type: "button", className: "catalogue-chip", "aria-label": "Remove filter " + sameLabel }, [
          element("span", { text: sameLabel }), element("span", { "aria-hidden": "true", text: " \u00d7" })]);
        sameButton.addEventListener("click", function () {
          same = null;
          apply().then(function () {
            var next = chips.querySelector("button");
            (next || search).focus();
          });
        });
        chips.appendChild(element("li", {}, [sameButton]));
      }
    }

    /* A case study from another page: the page's template card, filled in. Each part
       marked data-slot shows a facet's labels (or the years); a part with nothing to show
       is left out, as the server leaves it out. */
    var cardTemplate = document.getElementById(CARD_TEMPLATE_ID);
    var kindsPart = cardTemplate && cardTemplate.content ? cardTemplate.content.querySelector(".coprod-card__evidence") : null;
    var kindsSlot = kindsPart ? kindsPart.getAttribute("data-slot") : "";
    var facetByName = {};
    facets.forEach(function (facet) {
      facetByName[facet.name] = facet;
    });

    function slotValues(item, name) {
      if (name === "years") {
        return item.years ? [item.years] : [];
      }
      var facet = facetByName[name];
      var keys = (item.keys[name] || []).slice();
      if (!facet) {
        return [];
      }
      if (name === kindsSlot) {
        keys.sort(function (a, b) { // the kinds of evidence in the taxonomy's order, strongest first
          return facet.terms.indexOf(a) - facet.terms.indexOf(b);
        });
      }
      return keys.map(function (key) {
        return facet.labels[key] || key;
      });
    }

    function fillText(part, value) {
      var node = part.lastChild;
      if (node && node.nodeType === 3) {
        node.nodeValue = node.nodeValue.replace(SLOT, value);
      }
    }

    function templateCard(item) {
      var li = element("li", { className: "coprod-card" });
      li.appendChild(document.importNode(cardTemplate.content, true));
      var link = li.querySelector("a.coprod-card__title");
      link.setAttribute("href", new URL(item.url.slice(1), siteRoot).pathname);
      link.textContent = item.title;
      var retracted = li.querySelector(".coprod-tag--retracted");
      if (!item.retracted && retracted) {
        li.removeChild(retracted.previousSibling); // the space before it
        li.removeChild(retracted);
      }
      var summary = li.querySelector(".coprod-card__summary");
      if (item.summary) {
        summary.textContent = item.summary;
      } else {
        li.removeChild(summary);
      }
      Array.prototype.forEach.call(li.querySelectorAll("[data-slot]"), function (part) {
        var values = slotValues(item, part.getAttribute("data-slot"));
        part.removeAttribute("data-slot");
        if (!values.length) {
          part.parentNode.removeChild(part);
        } else if (part.classList.contains("coprod-card__principles")) {
          var tag = part.querySelector(".coprod-tag");
          var tags = tag.parentNode;
          tags.textContent = "";
          values.forEach(function (value) {
            var copy = tag.cloneNode(false);
            copy.textContent = value;
            tags.appendChild(copy);
          });
        } else {
          fillText(part, values.join(", "));
        }
      });
      var facts = li.querySelector(".coprod-card__facts");
      if (facts && !facts.children.length) {
        li.removeChild(facts);
      }
      return li;
    }

    function fallbackCard(item) {
      if (cardTemplate && cardTemplate.content) {
        return templateCard(item);
      }
      var li = element("li", { className: "coprod-card" }, [
        element("a", { className: "coprod-card__link coprod-card__title", href: new URL(item.url.slice(1), siteRoot).pathname, text: item.title })
      ]);
      if (item.summary) {
        li.appendChild(element("p", { className: "coprod-card__summary", text: item.summary }));
      }
      return li;
    }

    function render() {
      var fragment = document.createDocumentFragment();
      matches.slice(0, shown).forEach(function (item) {
        fragment.appendChild(cards[item.url] || fallbackCard(item));
      });
      list.replaceChildren(fragment);
      more.parentNode.hidden = matches.length <= shown;
      if (pager) {
        pager.hidden = true;
      }
    }

    function announce(state) {
      var filtered = state.query || Object.keys(state.chosen).length;
      var all = cases ? cases.length : total;
      if (!matches.length) {
        status.textContent = "No case study matches. Remove a filter or try other words.";
      } else if (filtered) {
        status.textContent = matches.length + " of " + plural(all, "case study", "case studies") + " match";
      } else {
        status.textContent = "Showing all " + plural(all, "case study", "case studies");
      }
      showResults.textContent = matches.length ? "Show " + plural(matches.length, "result", "results") : "No results";
    }

    // The page as it came, until the reader does anything: nothing fetched for it.
    function showPage() {
      latest++;
      matches = [];
      list.replaceChildren.apply(list, pageCards);
      more.parentNode.hidden = true;
      if (pager) {
        pager.hidden = false;
      }
      var counts = {};
      facets.forEach(function (facet) {
        counts[facet.name] = facet.counts;
      });
      showCounts(counts, {});
      showChips({ chosen: {} });
      status.textContent = "Showing all " + plural(total, "case study", "case studies");
      showResults.textContent = "Show " + plural(total, "result", "results");
      mount.setAttribute("data-state", "done");
    }

    function apply() {
      var state = current();
      var number = ++latest;
      keepInAddress(state);
      showChips(state);
      root.classList.toggle("catalogue-layout--compact", compact.checked);
      sort.options[0].disabled = !state.query;
      if (!state.query && !Object.keys(state.chosen).length && !sortChosen && !cases) {
        showPage();
        return Promise.resolve();
      }
      mount.setAttribute("data-state", "searching");
      return Promise.all([loadData(), find(state.query)]).then(function (answers) {
        if (number !== latest) {
          return;
        }
        var found = answers[1];
        var all = answers[0].filter(function (item) { // a filter the reader cannot tick: in the pool, so every count keeps it
          return sameOutcome(item, state.chosen, same);
        });
        var pool = all;
        if (state.query) {
          if (found) {
            var byUrl = {};
            all.forEach(function (item) {
              byUrl[item.url] = item;
            });
            pool = found.map(function (address) {
              return byUrl[address];
            }).filter(Boolean);
            mount.setAttribute("data-engine", "pagefind");
          } else {
            var words = state.query.toLowerCase().split(/\s+/);
            pool = all.filter(function (item) {
              return words.every(function (word) {
                return item.haystack.indexOf(word) !== -1;
              });
            });
            mount.setAttribute("data-engine", "data");
          }
        }
        matches = pool.filter(function (item) {
          return passesOthers(item, state.chosen, null);
        });
        if (state.sort === "title") {
          matches.sort(function (a, b) {
            return a.title.localeCompare(b.title, undefined, { sensitivity: "base" });
          });
        } else if (state.sort === "newest" || !state.query) {
          matches.sort(function (a, b) {
            return a.order - b.order;
          });
        }
        shown = STEP;
        render();
        showCounts(optionCounts(facets, pool, state.chosen), state.chosen);
        announce(state);
        mount.setAttribute("data-state", "done");
      });
    }

    // ---- wiring
    var timer = null;
    groups.forEach(function (group) {
      group.facet.terms.forEach(function (key) {
        group.boxes[key].box.addEventListener("change", function () {
          if (same && same.indexOf(group.facet.name) !== -1) {
            same = null; // the reader chooses again: the two facets are read as any other two
          }
          apply();
        });
      });
    });
    search.addEventListener("focus", function () {
      loadEngine();
      loadData();
    }, { once: true });
    search.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(apply, SEARCH_DELAY);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.clearTimeout(timer);
      apply();
    });
    sort.addEventListener("change", function () {
      sortChosen = true;
      apply();
    });
    compact.addEventListener("change", function () {
      root.classList.toggle("catalogue-layout--compact", compact.checked);
    });
    clear.addEventListener("click", function () {
      search.value = "";
      groups.forEach(function (group) {
        group.facet.terms.forEach(function (key) {
          group.boxes[key].box.checked = false;
        });
      });
      apply();
      search.focus();
    });

    function setOpen(open, focusBack) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      root.classList.toggle("catalogue-layout--open", open);
      if (open) {
        var first = panel.querySelector("summary");
        if (first) {
          first.focus();
        }
      } else if (focusBack) {
        toggle.focus();
      }
    }
    toggle.addEventListener("click", function () {
      setOpen(toggle.getAttribute("aria-expanded") !== "true", false);
    });
    close.addEventListener("click", function () {
      setOpen(false, true);
    });
    showResults.addEventListener("click", function () {
      setOpen(false, false);
      status.setAttribute("tabindex", "-1");
      status.focus();
      bar.scrollIntoView({ block: "start" });
    });
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && root.classList.contains("catalogue-layout--open")) {
        setOpen(false, true);
      }
    });
    more.addEventListener("click", function () {
      var first = Math.min(shown, matches.length);
      shown += STEP;
      render();
      var link = list.children[first] && list.children[first].querySelector("a");
      if (link) {
        link.focus();
      }
    });
    exportLinks.forEach(function (button) {
      button.addEventListener("click", function () {
        var format = button.getAttribute("data-format");
        loadData().then(function (all) {
          var items = matches.length || latest && (search.value.trim() || Object.keys(chosenTerms()).length) ? matches : all;
          var body = exportText(format, items, facets, siteRoot);
          var types = { csv: "text/csv", ris: "application/x-research-info-systems", bib: "application/x-bibtex" };
          var link = element("a", {
            href: URL.createObjectURL(new Blob([body], { type: types[format] + ";charset=utf-8" })),
            download: "case-studies." + format
          });
          document.body.appendChild(link);
          link.click();
          link.remove();
          window.setTimeout(function () {
            URL.revokeObjectURL(link.href);
          }, 10000);
        });
      });
    });
    window.addEventListener("popstate", function () {
      restoreFromAddress();
      apply();
    });
    if (window.matchMedia) {
      window.matchMedia(PHONE).addEventListener("change", function (query) {
        if (!query.matches) {
          setOpen(false, false);
        }
      });
    }

    pageNodes.forEach(function (node) {
      node.hidden = true;
    });
    if (pager) {
      results.appendChild(pager);
    }
    mount.appendChild(root);
    restoreFromAddress();
    mount.setAttribute("data-ready", "yes");
    apply(); // the page's own list, or at once the view an address links to
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
