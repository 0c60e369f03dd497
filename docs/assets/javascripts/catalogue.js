/*
 * Filters for the case-study catalogue (/case-studies/).
 *
 * Without this script the catalogue is a static, paginated list with "Browse by" links.
 * With it, the page gets a search box and one labelled <select> per facet; the list is
 * replaced by the filtered list, narrowed in place, and the state is kept in the URL query
 * (?principle=reciprocity&setting=mental-health&q=peer) so a filtered view can be linked.
 *
 * Until the reader types or filters, the list is the page's own (its cards and pager),
 * and the controls and their counts are read from its "Browse by" links: nothing of
 * Pagefind is fetched (its script only once the search box gets focus). Then the list
 * comes from Pagefind's index (<site>/pagefind/, built with the site): each case study
 * carries a filter per facet valued by taxonomy key, so filtering and free text are one
 * Pagefind search that fetches only the chunks it needs, at any size of library; clearing
 * every filter brings the page's own list back. If the index cannot be loaded, the script
 * falls back to data/catalogue.json (the whole catalogue, filtered here).
 *
 * Safety: text from the index or the data file is only ever written with textContent /
 * createElement (never innerHTML); Pagefind's excerpt is rebuilt from text and <mark>
 * elements; links are built only from a /case-studies/<id>/ address under the site's root,
 * and nothing is fetched from another origin.
 */
(function () {
  "use strict";

  var MARKER_ID = "catalogue-filters";
  var SAFE_URL = /^\/case-studies\/[a-z0-9]+(?:-[a-z0-9]+)*\/$/;
  var STEP = 100; // results shown at first, and added by "Show more"
  var SEARCH_DELAY = 250; // ms after the last key press before the list is narrowed

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
    // the data file is at <site>/data/catalogue.json: the site's root is one folder up
    var siteRoot = new URL("../", dataUrl);
    var facets = readPageFacets(mount, siteRoot);
    if (facets.length) {
      buildWithPagefind(mount, facets, siteRoot, function () {
        return fallBack(mount, dataUrl, siteRoot);
      });
      mount.setAttribute("data-ready", "yes");
    } else {
      fallBack(mount, dataUrl, siteRoot);
    }
  }

  // Without Pagefind: data/catalogue.json, the whole catalogue, filtered here.
  function fallBack(mount, dataUrl, siteRoot) {
    mount.setAttribute("data-ready", "loading");
    return fetch(dataUrl.href, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("catalogue data: HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        build(mount, data, siteRoot);
        mount.setAttribute("data-engine", "data");
        mount.setAttribute("data-ready", "yes");
      })
      .catch(function () {
        mount.removeAttribute("data-ready"); // the static list stays usable
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

  // ------------------------------------------------------------------------------------
  // The data, checked: anything of an unexpected shape is left out.

  function text(value) {
    return typeof value === "string" ? value : "";
  }

  function readFacets(data) {
    var facets = [];
    (Array.isArray(data.facets) ? data.facets : []).forEach(function (facet) {
      if (!facet || typeof facet.name !== "string" || !/^[a-z][a-z0-9_-]*$/.test(facet.name)) {
        return;
      }
      var terms = [];
      var labels = {};
      (Array.isArray(facet.terms) ? facet.terms : []).forEach(function (term) {
        if (Array.isArray(term) && typeof term[0] === "string" && !(term[0] in labels)) {
          terms.push(term[0]);
          labels[term[0]] = text(term[1]) || term[0];
        }
      });
      facets.push({ name: facet.name, label: text(facet.label) || facet.name, terms: terms, labels: labels });
    });
    return facets;
  }

  function readCases(data, facets) {
    var cases = [];
    (Array.isArray(data.case_studies) ? data.case_studies : []).forEach(function (raw) {
      if (!raw || typeof raw !== "object") {
        return;
      }
      var keys = {};
      facets.forEach(function (facet) {
        var values = raw.facets && Array.isArray(raw.facets[facet.name]) ? raw.facets[facet.name] : [];
        keys[facet.name] = values.filter(function (value) {
          return typeof value === "string";
        });
      });
      var url = text(raw.url);
      cases.push({
        title: text(raw.title) || text(raw.id),
        summary: text(raw.summary),
        years: text(raw.years),
        retracted: raw.retracted === true,
        url: SAFE_URL.test(url) ? url : "",
        keys: keys,
        haystack: (text(raw.title) + " " + text(raw.summary)).toLowerCase()
      });
    });
    return cases;
  }

  // ------------------------------------------------------------------------------------
  // The controls.

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
      node.appendChild(child);
    });
    return node;
  }

  function counts(cases, facet) {
    var result = {};
    cases.forEach(function (item) {
      item.keys[facet.name].forEach(function (key) {
        result[key] = (result[key] || 0) + 1;
      });
    });
    return result;
  }

  function facetControl(facet, cases) {
    var id = "catalogue-facet-" + facet.name;
    var select = element("select", { id: id, name: facet.name });
    select.appendChild(element("option", { value: "", text: "Any" }));
    var perTerm = counts(cases, facet);
    facet.terms.forEach(function (key) {
      if (perTerm[key]) {
        select.appendChild(element("option", { value: key, text: facet.labels[key] + " (" + perTerm[key] + ")" }));
      }
    });
    var wrapper = element("p", { className: "catalogue-facet" }, [element("label", { htmlFor: id, text: facet.label }), select]);
    return { facet: facet, select: select, wrapper: wrapper, usable: select.options.length > 1 };
  }

  // ------------------------------------------------------------------------------------
  // The page.

  // The filter form both ways of filtering share: a search box; a panel of one control
  // per facet with "Clear filters" (beside the results on a wide screen, behind a "Filter"
  // button with the number of chosen filters on a phone); the chosen filters as chips that
  // remove themselves; the announced count, the list of cards and "Show more".
  function filterUi(controls, searchLabel) {
    var search = element("input", { type: "search", id: "catalogue-search", name: "q", autocomplete: "off" });
    var clear = element("button", { type: "button", className: "md-button", text: "Clear filters" });
    var toggle = element("button", {
      type: "button", className: "md-button catalogue-toggle", "aria-expanded": "false",
      "aria-controls": "catalogue-panel", text: "Filter"
    });
    var panel = element("div", { id: "catalogue-panel", className: "catalogue-panel" }, controls.map(function (control) {
      return control.wrapper;
    }).concat([element("p", { className: "catalogue-facet" }, [clear])]));
    var form = element("form", { className: "catalogue-filters", role: "search", "aria-label": "Filter the case studies" }, [
      element("p", { className: "catalogue-search" }, [element("label", { htmlFor: "catalogue-search", text: searchLabel }), search]),
      element("p", { className: "catalogue-toggle-line" }, [toggle]),
      panel
    ]);
    var more = element("button", { type: "button", className: "md-button", text: "Show more" });
    var chips = element("ul", { className: "catalogue-chips", "aria-label": "Chosen filters" });
    var status = element("p", { id: "catalogue-status", role: "status", "aria-live": "polite" });
    var list = element("ul", { id: "catalogue-results", className: "coprod-cards" });
    var moreWrapper = element("p", {}, [more]);
    var results = element("div", { className: "catalogue-results" }, [chips, status, list, moreWrapper]);
    var root = element("div", { className: "catalogue-layout" }, [form, results]);
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      root.classList.toggle("catalogue-layout--open", open);
    });
    return {
      search: search, clear: clear, form: form, status: status, list: list, more: more, moreWrapper: moreWrapper,
      root: root, toggle: toggle, chips: chips
    };
  }

  // The chosen filters as chips ("Principle: Reciprocity ×"): each one a button that
  // clears its filter; the Filter button shows how many there are.
  function showChips(ui, controls, apply) {
    var chosen = controls.filter(function (control) {
      return control.select.value;
    });
    ui.toggle.textContent = chosen.length ? "Filter (" + chosen.length + ")" : "Filter";
    ui.chips.replaceChildren();
    ui.chips.hidden = !chosen.length;
    chosen.forEach(function (control) {
      var option = control.select.options[control.select.selectedIndex];
      var label = option ? option.textContent.replace(/\s*\(\d+\)$/, "") : control.select.value;
      var button = element("button", {
        type: "button", className: "catalogue-chip", "aria-label": "Remove filter " + control.facet.label + ": " + label
      }, [element("span", { text: control.facet.label + ": " + label }), element("span", { "aria-hidden": "true", text: " \u00d7" })]);
      button.addEventListener("click", function () {
        control.select.value = "";
        apply();
        var next = ui.chips.querySelector("button");
        (next || ui.search).focus();
      });
      ui.chips.appendChild(element("li", {}, [button]));
    });
  }

  // A case study's card, the same as the static list's (coprod/pages/listing.py): the
  // title's link stretched over the card, summary, setting · years · country, principles
  // as tags, kinds of evidence. ``card.title`` and ``card.summary`` are nodes.
  function caseCard(card) {
    var li = element("li", { className: "coprod-card" });
    var heading = card.href ? element("a", { href: card.href, className: "coprod-card__link coprod-card__title" })
      : element("span", { className: "coprod-card__title" });
    heading.appendChild(card.title);
    li.appendChild(heading);
    if (card.retracted) {
      li.appendChild(element("span", { className: "coprod-tag coprod-tag--retracted", text: "Retracted" }));
    }
    if (card.summary) {
      li.appendChild(element("p", { className: "coprod-card__summary" }, [card.summary]));
    }
    if (card.excerpt) {
      li.appendChild(element("p", { className: "catalogue-excerpt" }, [card.excerpt]));
    }
    var facts = [["Setting", card.settings.join(", ")], ["Years", card.years], ["Country", card.countries.join(", ")]]
      .filter(function (fact) {
        return fact[1];
      });
    if (facts.length) {
      li.appendChild(element("p", { className: "coprod-card__facts" }, facts.map(function (fact) {
        return element("span", { className: "coprod-card__fact" }, [
          element("span", { className: "coprod-sr-only", text: fact[0] + ": " }), document.createTextNode(fact[1])]);
      })));
    }
    if (card.principles.length) {
      li.appendChild(element("p", { className: "coprod-card__principles" }, [
        element("span", { className: "coprod-sr-only", text: "Principles: " }),
        element("span", { className: "coprod-tags" }, card.principles.map(function (label) {
          return element("span", { className: "coprod-tag", text: label });
        }))]));
    }
    if (card.evidence.length) {
      li.appendChild(element("p", { className: "coprod-card__evidence", text: "Evidence: " + card.evidence.join(", ") }));
    }
    return li;
  }

  // Narrow the list on every change: at once for a control, ``delay`` ms after the last key
  // press for the search box, at once on Enter; "Clear filters" empties all and narrows.
  function wireFilters(ui, controls, applyFilters, delay) {
    var timer = null;
    function apply() {
      showChips(ui, controls, apply);
      return applyFilters();
    }
    controls.forEach(function (control) {
      control.select.addEventListener("change", apply);
    });
    ui.search.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(apply, delay);
    });
    ui.form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.clearTimeout(timer);
      apply();
    });
    ui.clear.addEventListener("click", function () {
      ui.search.value = "";
      controls.forEach(function (control) {
        control.select.value = "";
      });
      apply();
      ui.search.focus();
    });
    return apply;
  }

  // "Show more" (``showNext`` adds the next results, at once or as a promise; the focus
  // goes to the first new one, where keyboard users continue) and the browser's Back and
  // Forward, which restore the state from the address.
  function wirePaging(ui, controls, refresh, showNext) {
    ui.more.addEventListener("click", function () {
      var first = ui.list.children.length;
      Promise.resolve(showNext()).then(function () {
        var next = ui.list.children[first];
        var link = next && next.querySelector("a");
        if (link) {
          link.focus();
        }
      });
    });
    window.addEventListener("popstate", function () {
      restoreFromAddress(ui.search, controls);
      refresh();
    });
  }

  // The filter state, shared by both ways of filtering: the chosen term of each facet, the
  // state kept in the address (so a view can be linked), and read back from it.
  function chosenTerms(controls) {
    var chosen = {};
    controls.forEach(function (control) {
      if (control.select.value) {
        chosen[control.facet.name] = control.select.value;
      }
    });
    return chosen;
  }

  function keepInAddress(facets, query, chosen) {
    var params = new URLSearchParams(window.location.search);
    params.delete("q");
    facets.forEach(function (facet) {
      params.delete(facet.name);
    });
    if (query) {
      params.set("q", query);
    }
    Object.keys(chosen).forEach(function (name) {
      params.set(name, chosen[name]);
    });
    var encoded = params.toString();
    var address = window.location.pathname + (encoded ? "?" + encoded : "") + window.location.hash;
    window.history.replaceState(window.history.state, "", address);
  }

  function restoreFromAddress(search, controls) {
    var params = new URLSearchParams(window.location.search);
    search.value = params.get("q") || "";
    controls.forEach(function (control) {
      var wanted = params.get(control.facet.name) || "";
      var known = Array.prototype.some.call(control.select.options, function (option) {
        return option.value === wanted;
      });
      control.select.value = known ? wanted : "";
    });
  }

  function build(mount, data, siteRoot) {
    if (!data || typeof data !== "object") {
      return;
    }
    var facets = readFacets(data);
    var cases = readCases(data, facets);
    var controls = facets.map(function (facet) {
      return facetControl(facet, cases);
    }).filter(function (control) {
      return control.usable;
    });

    var ui = filterUi(controls, "Search titles and summaries");
    var search = ui.search, clear = ui.clear, form = ui.form, status = ui.status, list = ui.list;
    var moreWrapper = ui.moreWrapper;

    var shown = STEP;
    var matches = [];

    function state() {
      return { query: search.value.trim().toLowerCase(), chosen: chosenTerms(controls) };
    }

    function matchesState(item, current) {
      var words = current.query ? current.query.split(/\s+/) : [];
      for (var i = 0; i < words.length; i++) {
        if (item.haystack.indexOf(words[i]) === -1) {
          return false;
        }
      }
      return Object.keys(current.chosen).every(function (name) {
        return item.keys[name].indexOf(current.chosen[name]) !== -1;
      });
    }

    function labels(item, name) {
      var facet = facets.filter(function (f) {
        return f.name === name;
      })[0];
      return facet && item.keys[name] ? item.keys[name].map(function (key) {
        return facet.labels[key] || key;
      }) : [];
    }

    function renderItem(item) {
      return caseCard({
        href: item.url ? new URL(item.url.slice(1), siteRoot).href : "",
        title: document.createTextNode(item.title),
        retracted: item.retracted,
        summary: item.summary ? document.createTextNode(item.summary) : null,
        settings: labels(item, "setting"), years: item.years, countries: labels(item, "country"),
        principles: labels(item, "principle"), evidence: labels(item, "evidence")
      });
    }

    function render() {
      var items = document.createDocumentFragment();
      matches.slice(0, shown).forEach(function (item) {
        items.appendChild(renderItem(item));
      });
      list.replaceChildren(items);
      moreWrapper.hidden = matches.length <= shown;
    }

    function announce(current) {
      var filtered = current.query || Object.keys(current.chosen).length;
      var noun = function (n) {
        return n === 1 ? "case study" : "case studies";
      };
      if (!matches.length) {
        status.textContent = "No case study matches these filters.";
      } else if (filtered) {
        status.textContent = matches.length + " of " + cases.length + " " + noun(cases.length) + " match these filters.";
      } else {
        status.textContent = "Showing all " + cases.length + " " + noun(cases.length) + ".";
      }
    }

    function apply() {
      var current = state();
      matches = cases.filter(function (item) {
        return matchesState(item, current);
      });
      shown = STEP;
      render();
      announce(current);
      keepInAddress(facets, search.value.trim(), current.chosen);
    }

    var refresh = wireFilters(ui, controls, apply, SEARCH_DELAY);
    wirePaging(ui, controls, refresh, function () {
      shown += STEP;
      render();
    });

    hideStaticList(mount);
    mount.appendChild(ui.root);
    restoreFromAddress(search, controls);
    refresh();
  }

  // ------------------------------------------------------------------------------------
  // With Pagefind: the same controls and URL state, the list from the index.

  var PAGEFIND_STEP = 20; // results shown at first and added by "Show more": each loads a fragment
  /* The facets, their labels and their terms' labels from the page's "Browse by" lists:
     "### Principle" then links to ../principles/<key>/. Which folder is which facet comes
     from the build (data-facet-folders, written from the schema's x-facet and x-folder). */
  function readPageFacets(mount, siteRoot) {
    var facets = [];
    var byName = {};
    var folders = {};
    try {
      folders = JSON.parse(mount.getAttribute("data-facet-folders") || "{}");
    } catch (error) {
      folders = {};
    }
    var node = mount.nextElementSibling;
    while (node) {
      if (node.tagName === "UL" && node.previousElementSibling && node.previousElementSibling.tagName === "H3") {
        var heading = node.previousElementSibling.textContent.replace(/\u00b6/g, "").trim();
        Array.prototype.forEach.call(node.querySelectorAll("a[href]"), function (link) {
          var path;
          try {
            path = new URL(link.getAttribute("href"), document.baseURI).pathname;
          } catch (error) {
            return;
          }
          if (path.indexOf(siteRoot.pathname) !== 0) {
            return;
          }
          var parts = path.slice(siteRoot.pathname.length).split("/");
          var name = Object.prototype.hasOwnProperty.call(folders, parts[0]) ? folders[parts[0]] : null;
          var key = parts[1];
          if (!name || !key || parts.length !== 3 || parts[2] !== "") {
            return;
          }
          if (!byName[name]) {
            byName[name] = { name: name, label: heading || name, terms: [], labels: {} };
            facets.push(byName[name]);
          }
          if (!(key in byName[name].labels)) {
            byName[name].terms.push(key);
            byName[name].labels[key] = link.textContent.trim() || key;
          }
        });
      }
      node = node.nextElementSibling;
    }
    return facets;
  }

  /* Pagefind's excerpt as text nodes and <mark> elements (it escapes the page's text and
     adds <mark>; nothing else of it is taken as markup). */
  // the hidden word every case study carries (data-every-case-study): indexed, so it can
  // fall inside an excerpt; never shown
  var HIDDEN_WORD = /\s*\bcoprodcasestudy\b\.?/g;

  function excerptNodes(excerpt) {
    var fragment = document.createDocumentFragment();
    var marked = false;
    var entities = { amp: "&", lt: "<", gt: ">", quot: "\"", apos: "'", nbsp: "\u00a0" };
    String(excerpt || "").replace(HIDDEN_WORD, "").split(/(<mark>|<\/mark>)/).forEach(function (part) {
      if (part === "<mark>" || part === "</mark>") {
        marked = part === "<mark>";
        return;
      }
      var text = part.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, function (whole, name) {
        if (name[0] === "#") {
          var code = /^#x/i.test(name) ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
          return code > 0 && code < 0x110000 ? String.fromCodePoint(code) : "";
        }
        return Object.prototype.hasOwnProperty.call(entities, name.toLowerCase()) ? entities[name.toLowerCase()] : whole;
      });
      if (text) {
        fragment.appendChild(marked ? element("mark", { text: text }) : document.createTextNode(text));
      }
    });
    return fragment;
  }

  /* ``value`` as text with the words of ``query`` marked where a word starts with one. */
  function marked(value, query) {
    var fragment = document.createDocumentFragment();
    var words = query.toLowerCase().split(/\s+/).filter(function (w) {
      return w.length > 1;
    });
    String(value).split(/(\s+)/).forEach(function (token) {
      var lower = token.toLowerCase().replace(/^[^\p{L}\p{N}]+/u, "");
      var hit = words.some(function (w) {
        return lower.indexOf(w) === 0;
      });
      fragment.appendChild(hit ? element("mark", { text: token }) : document.createTextNode(token));
    });
    return fragment;
  }

  /* Each term's number of case studies, from its "Browse by" entry: under the facet's
     heading, "<a href=".../<key>/">Label</a> (12)". */
  function pageCounts(mount, facets) {
    var entries = [];
    for (var node = mount.nextElementSibling; node; node = node.nextElementSibling) {
      var heading = node.previousElementSibling;
      if (node.tagName !== "UL" || !heading || heading.tagName !== "H3") {
        continue;
      }
      Array.prototype.forEach.call(node.querySelectorAll("li"), function (item) {
        var link = item.querySelector("a[href]");
        var count = /\((\d+)\)\s*$/.exec(item.textContent);
        if (link && count) {
          entries.push({
            facet: heading.textContent.replace(/\u00b6/g, "").trim(), label: link.textContent.trim(),
            href: link.getAttribute("href"), count: parseInt(count[1], 10)
          });
        }
      });
    }
    var found = {};
    facets.forEach(function (facet) {
      found[facet.name] = {};
      entries.forEach(function (entry) {
        facet.terms.forEach(function (key) {
          var tail = "/" + key + "/";
          if (entry.facet === facet.label && entry.label === facet.labels[key] &&
              entry.href.slice(-tail.length) === tail) {
            found[facet.name][key] = entry.count;
          }
        });
      });
    });
    return found;
  }

  /* The static page's count, list and pager, between the marker and the "Browse by" heading. */
  function staticNodes(mount) {
    var nodes = [];
    var node = mount.nextElementSibling;
    while (node && !/^H[1-6]$/.test(node.tagName)) {
      nodes.push(node);
      node = node.nextElementSibling;
    }
    return nodes;
  }

  /* The catalogue with Pagefind. The controls are made at once from the page itself (the
     facets, their terms and counts from "Browse by"), and the page's own list stays in the
     results column: nothing of Pagefind is fetched for a reader who only reads the list.
     Pagefind is loaded when the reader types or filters (its script as soon as the search
     box gets focus), or at once when the address holds a filtered view. If it cannot be
     loaded, ``fallBack`` filters data/catalogue.json instead. */
  function buildWithPagefind(mount, facets, siteRoot, fallBack) {
    var staticCount = pageCounts(mount, facets);
    var controls = [];
    facets.forEach(function (facet) {
      var counts = staticCount[facet.name] || {};
      var id = "catalogue-facet-" + facet.name;
      var select = element("select", { id: id, name: facet.name });
      select.appendChild(element("option", { value: "", text: "Any" }));
      var options = {};
      facet.terms.forEach(function (key) {
        if (counts[key]) {
          options[key] = element("option", { value: key, text: facet.labels[key] + " (" + counts[key] + ")" });
          select.appendChild(options[key]);
        }
      });
      if (select.options.length > 1) {
        var wrapper = element("p", { className: "catalogue-facet" }, [element("label", { htmlFor: id, text: facet.label }), select]);
        controls.push({ facet: facet, select: select, wrapper: wrapper, options: options });
      }
    });
    // the page's own count line ("28 case studies ... This is page 2 of 3."), list and pager
    var pageList = staticNodes(mount);
    var countLine = pageList.length ? pageList[0].textContent : "";
    var counted = /^\s*([\d,]+)\s/.exec(countLine);
    var caseCount = counted ? parseInt(counted[1].replace(/,/g, ""), 10) : 0;
    var pageNumber = /This is page \d+ of \d+\./.exec(countLine);
    var pageCards = pageList.filter(function (node) {
      return node.tagName === "UL";
    })[0];
    var pageItems = pageCards ? Array.prototype.slice.call(pageCards.children) : [];
    var pager = pageList.filter(function (node) {
      return node.id === "catalogue-pager";
    })[0];
    var engine = null; // Pagefind, once asked for
    var failed = false;

    function loadEngine() {
      if (!engine) {
        engine = loadPagefind(siteRoot);
        engine.catch(function () { /* answered by apply */ });
      }
      return engine;
    }

    var ui = filterUi(controls, "Search the case studies");
    var search = ui.search, clear = ui.clear, form = ui.form, status = ui.status, list = ui.list;
    var moreWrapper = ui.moreWrapper;
    moreWrapper.hidden = true;

    var latest = 0;
    var results = [];
    var shown = 0;

    function current() {
      return { query: search.value.trim(), chosen: chosenTerms(controls) };
    }

    function safeHref(url) {
      var path = String(url || "");
      if (path.indexOf(siteRoot.pathname) !== 0) {
        return "";
      }
      var address = "/" + path.slice(siteRoot.pathname.length);
      return SAFE_URL.test(address) ? new URL(address.slice(1), siteRoot).href : "";
    }

    function labelsOf(data, name) {
      var facet = facets.filter(function (f) {
        return f.name === name;
      })[0];
      var keys = data.filters && Array.isArray(data.filters[name]) ? data.filters[name] : [];
      return keys.map(function (key) {
        return facet && facet.labels[key] ? facet.labels[key] : String(key);
      });
    }

    function renderItem(data, query) {
      var meta = data.meta || {};
      var principles = labelsOf(data, "principle");
      if (!principles.length && meta.principles) {
        principles = String(meta.principles).split("; ");
      }
      return caseCard({
        href: safeHref(data.url),
        title: marked(String(meta.title || ""), query),
        retracted: meta.status === "retracted",
        summary: meta.summary ? marked(String(meta.summary), query) : null,
        excerpt: query && data.excerpt ? excerptNodes(data.excerpt) : null,
        settings: labelsOf(data, "setting"), years: String(meta.years || ""), countries: labelsOf(data, "country"),
        principles: principles, evidence: labelsOf(data, "evidence")
      });
    }

    function showMore(query, number) {
      var slice = results.slice(shown, shown + PAGEFIND_STEP);
      return Promise.all(slice.map(function (result) {
        return result.data();
      })).then(function (items) {
        if (number !== latest) {
          return;
        }
        var fragment = document.createDocumentFragment();
        items.forEach(function (data) {
          fragment.appendChild(renderItem(data, query));
        });
        if (shown === 0) {
          list.replaceChildren(fragment);
        } else {
          list.appendChild(fragment);
        }
        shown += slice.length;
        moreWrapper.hidden = shown >= results.length;
      });
    }

    function announce(state, count) {
      var noun = function (n) {
        return n === 1 ? "case study" : "case studies";
      };
      if (!count) {
        status.textContent = "No case study matches these filters.";
      } else if (state.query || Object.keys(state.chosen).length) {
        status.textContent = count + " of " + caseCount + " " + noun(caseCount) + " match these filters.";
      } else {
        status.textContent = "Showing all " + caseCount + " " + noun(caseCount) + ".";
      }
    }

    function updateCounts(remaining) {
      controls.forEach(function (control) {
        var counts = (remaining || {})[control.facet.name] || {};
        Object.keys(control.options).forEach(function (key) {
          var n = counts[key] || 0;
          control.options[key].textContent = control.facet.labels[key] + " (" + n + ")";
        });
      });
    }

    function apply() {
      var state = current();
      var number = ++latest;
      keepInAddress(facets, state.query, state.chosen);
      var filters = { kind: "case-study" };
      Object.keys(state.chosen).forEach(function (name) {
        filters[name] = state.chosen[name];
      });
      var options = { filters: filters };
      if (!state.query) {
        options.sort = { order: "asc" }; // the catalogue's order: newest first, then by title
      }
      if (!state.query && !Object.keys(state.chosen).length) {
        showPageList(); // nothing chosen: the page's own list is the answer
        return Promise.resolve();
      }
      mount.setAttribute("data-state", "searching");
      // no words typed: search for the word every case study carries, not for null
      // (Pagefind answers null by fetching its whole index)
      var words = state.query || mount.getAttribute("data-every-case-study") || null;
      return loadEngine().then(function (pagefind) {
        return pagefind.search(words, options);
      }, function () {
        if (!failed) { // the index cannot be loaded: the page as it was, then the data file
          failed = true;
          mount.removeChild(ui.root);
          pageItems.forEach(function (item) {
            pageCards.appendChild(item);
          });
          pageList.slice().reverse().forEach(function (node) {
            node.hidden = false;
            mount.parentNode.insertBefore(node, mount.nextSibling);
          });
          fallBack();
        }
        return null;
      }).then(function (found) {
        if (number !== latest || !found) {
          return null;
        }
        results = found.results || [];
        shown = 0;
        updateCounts(found.filters);
        return showMore(state.query, number).then(function () {
          if (number === latest) {
            if (!results.length) {
              list.replaceChildren();
              moreWrapper.hidden = true;
            }
            announce(state, results.length);
            if (pager) {
              pager.hidden = true;
            }
            mount.setAttribute("data-engine", "pagefind");
            mount.setAttribute("data-state", "done");
          }
        });
      });
    }

    // The page's own list: its cards in the results list, its pager below, its count line
    // said by the status line. Shown until the reader filters, and again when every
    // filter is cleared: nothing is fetched for it.
    function showPageList() {
      latest++;
      results = [];
      shown = 0;
      list.replaceChildren.apply(list, pageItems);
      moreWrapper.hidden = true;
      if (pager) {
        pager.hidden = false;
      }
      status.textContent = caseCount ? "Showing all " + caseCount + " " + (caseCount === 1 ? "case study" : "case studies") +
        (pageNumber ? ", newest first. " + pageNumber[0] : ".") : countLine;
      updateCounts(staticCount);
      mount.setAttribute("data-state", "done");
    }

    var refresh = wireFilters(ui, controls, apply, 80);
    wirePaging(ui, controls, refresh, function () {
      return showMore(search.value.trim(), latest);
    });

    pageList.forEach(function (node) {
      node.hidden = true;
    });
    if (pager) {
      list.parentNode.appendChild(pager);
    }
    mount.appendChild(ui.root);
    search.addEventListener("focus", loadEngine);
    restoreFromAddress(search, controls);
    refresh(); // the page's own list, or at once the filtered view an address links to
  }

  // The static page's count, list and pager, between the marker and the "Browse by"
  // heading: the filtered full list and its live count replace them.
  function hideStaticList(mount) {
    var node = mount.nextElementSibling;
    while (node && !/^H[1-6]$/.test(node.tagName)) {
      node.hidden = true;
      node = node.nextElementSibling;
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
