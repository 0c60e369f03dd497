/*
 * Filters for the case-study catalogue (/case-studies/).
 *
 * Without this script the catalogue is a static, paginated list with "Browse by" links.
 * With it, the page gets a search box and one labelled <select> per facet; the list is
 * replaced by the filtered full list from data/catalogue.json, narrowed in place, and the
 * state is kept in the URL query (?principle=reciprocity&setting=mental-health) so a
 * filtered view can be linked.
 *
 * Safety: text from the data file is only ever written with textContent / createElement
 * (never innerHTML), links are built only from a case study's "url" field after checking
 * it is a /case-studies/<id>/ address, and nothing is fetched from another origin.
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
    mount.setAttribute("data-ready", "loading");
    fetch(dataUrl.href, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("catalogue data: HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        // the data file is at <site>/data/catalogue.json: the site's root is one folder up
        build(mount, data, new URL("../", dataUrl));
        mount.setAttribute("data-ready", "yes");
      })
      .catch(function () {
        mount.removeAttribute("data-ready"); // the static list stays usable
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
    var wrapper = element("p", {}, [element("label", { htmlFor: id, text: facet.label }), element("br"), select]);
    wrapper.style.margin = "0";
    return { facet: facet, select: select, wrapper: wrapper, usable: select.options.length > 1 };
  }

  // ------------------------------------------------------------------------------------
  // The page.

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

    var search = element("input", { type: "search", id: "catalogue-search", name: "q", autocomplete: "off" });
    var clear = element("button", { type: "button", className: "md-button", text: "Clear filters" });
    var grid = element("div", {}, controls.map(function (control) {
      return control.wrapper;
    }));
    grid.style.display = "flex";
    grid.style.flexWrap = "wrap";
    grid.style.gap = "0.8em 1.6em";
    var form = element("form", { className: "catalogue-filters", role: "search", "aria-label": "Filter the case studies" }, [
      element("p", {}, [
        element("label", { htmlFor: "catalogue-search", text: "Search titles and summaries" }), element("br"), search
      ]),
      grid,
      element("p", {}, [clear])
    ]);
    var status = element("p", { id: "catalogue-status", role: "status", "aria-live": "polite" });
    var list = element("ul", { id: "catalogue-results" });
    var more = element("button", { type: "button", className: "md-button", text: "Show more" });
    var moreWrapper = element("p", {}, [more]);

    var shown = STEP;
    var matches = [];
    var timer = null;

    function state() {
      var chosen = {};
      controls.forEach(function (control) {
        if (control.select.value) {
          chosen[control.facet.name] = control.select.value;
        }
      });
      return { query: search.value.trim().toLowerCase(), chosen: chosen };
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

    function settingLabels(item) {
      var setting = facets.filter(function (facet) {
        return facet.name === "setting";
      })[0];
      return setting ? item.keys.setting.map(function (key) {
        return setting.labels[key] || key;
      }) : [];
    }

    function renderItem(item) {
      var li = element("li");
      if (item.url) {
        li.appendChild(element("a", { href: new URL(item.url.slice(1), siteRoot).href, text: item.title }));
      } else {
        li.appendChild(document.createTextNode(item.title));
      }
      if (item.retracted) {
        li.appendChild(document.createTextNode(" (retracted)"));
      }
      if (item.summary) {
        li.appendChild(element("br"));
        li.appendChild(document.createTextNode(item.summary));
      }
      var facts = [settingLabels(item).join(", "), item.years].filter(Boolean).join("; ");
      if (facts) {
        li.appendChild(element("br"));
        li.appendChild(element("em", { text: facts }));
      }
      return li;
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

    function remember(current) {
      var params = new URLSearchParams(window.location.search);
      params.delete("q");
      facets.forEach(function (facet) {
        params.delete(facet.name);
      });
      if (search.value.trim()) {
        params.set("q", search.value.trim());
      }
      Object.keys(current.chosen).forEach(function (name) {
        params.set(name, current.chosen[name]);
      });
      var query = params.toString();
      var address = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
      window.history.replaceState(window.history.state, "", address);
    }

    function apply() {
      var current = state();
      matches = cases.filter(function (item) {
        return matchesState(item, current);
      });
      shown = STEP;
      render();
      announce(current);
      remember(current);
    }

    function restore() {
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

    controls.forEach(function (control) {
      control.select.addEventListener("change", apply);
    });
    search.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(apply, SEARCH_DELAY);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.clearTimeout(timer);
      apply();
    });
    clear.addEventListener("click", function () {
      search.value = "";
      controls.forEach(function (control) {
        control.select.value = "";
      });
      apply();
      search.focus();
    });
    more.addEventListener("click", function () {
      var first = shown;
      shown += STEP;
      render();
      var next = list.children[first];
      var link = next && next.querySelector("a");
      if (link) {
        link.focus(); // keyboard users continue where the new results start
      }
    });
    window.addEventListener("popstate", function () {
      restore();
      apply();
    });

    hideStaticList(mount);
    mount.appendChild(form);
    mount.appendChild(status);
    mount.appendChild(list);
    mount.appendChild(moreWrapper);
    restore();
    apply();
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
