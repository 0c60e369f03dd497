/*
 * The header search box (overrides/partials/search.html), answered by Pagefind.
 *
 * Pagefind's index is at <site root>/pagefind/, built after every build (hooks/evidence.py).
 * Its script is loaded when the box first gets focus, and a search fetches only the index
 * chunks and result fragments it needs. Results show the title, the summary, the matched
 * words in context and the principles a case study shows.
 *
 * Keyboard: "/" focuses the box from anywhere; Down and Up move between the box and the
 * results; Enter in the box opens the first result; Escape goes back to the box, then
 * closes the results. The number of results is announced (role="status").
 *
 * Safety: page text is written with textContent only. Pagefind's excerpt (page text with
 * <mark> round the matched words) is not inserted as HTML: it is split on <mark> and
 * </mark>, its entities decoded, and rebuilt from text nodes and <mark> elements. Links are
 * made only to addresses on this site, under its root.
 */
(function () {
  "use strict";

  // Results shown at first, and added by "More results". Each shown result fetches its
  // fragment (its text, for the excerpt), so the first answer waits for FIRST of them:
  // as many as the panel shows on a phone, not ten (scripts/benchmark_search.py).
  var FIRST = 5;
  var PAGE = 10;
  var SHORTEST = 2; // one letter matches most of the index: Pagefind would fetch most of it
  var ENTITIES = { amp: "&", lt: "<", gt: ">", quot: "\"", apos: "'", nbsp: "\u00a0" };

  function siteRoot(box) {
    try {
      return new URL(box.getAttribute("data-site-root") || "./", document.baseURI);
    } catch (error) {
      return null;
    }
  }

  var loading = null;

  // The Pagefind module, loaded once per page (catalogue.js imports the same URL and so
  // shares it); its result addresses start with the site's own path.
  function loadPagefind(root) {
    if (!loading) {
      loading = import(new URL("pagefind/pagefind.js", root).href).then(function (pagefind) {
        return Promise.resolve(pagefind.options({ baseUrl: root.pathname, excerptLength: 24 })).then(function () {
          pagefind.init();
          return pagefind;
        });
      });
    }
    return loading;
  }

  // ------------------------------------------------------------------------------------
  // Safe rendering.

  function decode(text) {
    return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, function (whole, name) {
      if (name[0] === "#") {
        var code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return code > 0 && code < 0x110000 ? String.fromCodePoint(code) : "";
      }
      return Object.prototype.hasOwnProperty.call(ENTITIES, name.toLowerCase()) ? ENTITIES[name.toLowerCase()] : whole;
    });
  }

  /* Pagefind's excerpt as text nodes and <mark> elements; any other markup stays text. */
  function excerptNodes(excerpt) {
    var fragment = document.createDocumentFragment();
    var marked = false;
    String(excerpt || "").split(/(<mark>|<\/mark>)/).forEach(function (part) {
      if (part === "<mark>") {
        marked = true;
      } else if (part === "</mark>") {
        marked = false;
      } else if (part) {
        var text = document.createTextNode(decode(part));
        if (marked) {
          var mark = document.createElement("mark");
          mark.appendChild(text);
          fragment.appendChild(mark);
        } else {
          fragment.appendChild(text);
        }
      }
    });
    return fragment;
  }

  /* ``text`` with the words of ``query`` marked where a word of the text starts with one. */
  function highlighted(text, query) {
    var fragment = document.createDocumentFragment();
    var words = String(query || "").toLowerCase().split(/\s+/).filter(function (w) {
      return w.length > 1;
    });
    var tokens = String(text || "").split(/(\s+)/);
    tokens.forEach(function (token) {
      var lower = token.toLowerCase().replace(/^[^\p{L}\p{N}]+/u, "");
      var hit = words.some(function (w) {
        return lower.indexOf(w) === 0;
      });
      if (hit) {
        var mark = document.createElement("mark");
        mark.textContent = token;
        fragment.appendChild(mark);
      } else {
        fragment.appendChild(document.createTextNode(token));
      }
    });
    return fragment;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  /* A same-origin address under the site's root, or "" */
  function safeHref(url, root) {
    try {
      var target = new URL(String(url || ""), root);
      if (target.origin === root.origin && target.pathname.indexOf(root.pathname) === 0 &&
          /^https?:$/.test(target.protocol)) {
        return target.href;
      }
    } catch (error) {
      /* fall through */
    }
    return "";
  }

  function first(value) {
    return Array.isArray(value) && typeof value[0] === "string" ? value[0] : "";
  }

  var KIND_LABELS = { "case-study": "Case study", claim: "Claim", page: "Page" };

  function resultItem(data, query, root) {
    var meta = data && data.meta ? data.meta : {};
    var li = element("li", "md-search-result__item coprod-search-result");
    var title = String(meta.title || data.url || "");
    var href = safeHref(data.url, root);
    var heading = element("p", "coprod-search-result__title");
    if (href) {
      var link = element("a", "md-search-result__link coprod-search-result__link");
      link.href = href;
      link.appendChild(highlighted(title, query));
      heading.appendChild(link);
    } else {
      heading.appendChild(highlighted(title, query));
    }
    var kind = KIND_LABELS[first(data.filters && data.filters.kind)];
    if (kind || meta.status === "retracted") {
      heading.appendChild(element("span", "coprod-search-result__kind",
        [kind, meta.status === "retracted" ? "retracted" : ""].filter(Boolean).join(", ")));
    }
    li.appendChild(heading);
    if (meta.summary) {
      var summary = element("p", "coprod-search-result__summary");
      summary.appendChild(highlighted(String(meta.summary), query));
      li.appendChild(summary);
    }
    if (data.excerpt) {
      var excerpt = element("p", "coprod-search-result__excerpt");
      excerpt.appendChild(excerptNodes(data.excerpt));
      li.appendChild(excerpt);
    }
    if (meta.principles) {
      li.appendChild(element("p", "coprod-search-result__principles", "Principles: " + String(meta.principles)));
    }
    return li;
  }

  // ------------------------------------------------------------------------------------
  // The box.

  function setUp(box) {
    var root = siteRoot(box);
    var input = box.querySelector("#coprod-search-input");
    var status = box.querySelector("#coprod-search-status");
    var list = box.querySelector("#coprod-search-results");
    var form = box.querySelector("form");
    var toggle = document.getElementById("__search");
    if (!root || !input || !status || !list || !form) {
      return;
    }
    var idle = status.textContent;
    var latest = 0; // the number of the newest search: older answers are dropped
    var results = [];
    var shown = 0;
    var more = element("button", "md-button coprod-search-more", "More results");
    more.type = "button";
    var moreItem = element("li", "coprod-search-more-item");
    moreItem.appendChild(more);

    function open(yes) {
      if (toggle && toggle.checked !== yes) {
        toggle.checked = yes;
        toggle.dispatchEvent(new Event("change"));
      }
    }

    function say(text, state) {
      status.textContent = text;
      status.setAttribute("data-state", state);
    }

    function links() {
      return Array.prototype.slice.call(list.querySelectorAll("a, button"));
    }

    function showMore(query, number) {
      var slice = results.slice(shown, shown + (shown ? PAGE : FIRST));
      return Promise.all(slice.map(function (result) {
        return result.data();
      })).then(function (items) {
        if (number !== latest) {
          return;
        }
        if (shown === 0) {
          list.replaceChildren(); // the previous query's results go when the new ones arrive
        } else if (moreItem.parentNode) {
          list.removeChild(moreItem);
        }
        items.forEach(function (data) {
          list.appendChild(resultItem(data, query, root));
        });
        shown += slice.length;
        if (shown < results.length) {
          list.appendChild(moreItem);
        }
      });
    }

    function run() {
      var query = input.value.trim();
      var number = ++latest;
      if (!query) {
        results = [];
        shown = 0;
        list.replaceChildren();
        say(idle, "idle");
        return;
      }
      if (query.length < SHORTEST) {
        results = [];
        shown = 0;
        list.replaceChildren();
        say("Type at least " + SHORTEST + " letters to search", "short");
        return;
      }
      say("Searching\u2026", "searching");
      loadPagefind(root).then(function (pagefind) {
        return pagefind.search(query);
      }).then(function (search) {
        if (number !== latest || !search) {
          return null;
        }
        results = search.results || [];
        shown = 0;
        return showMore(query, number).then(function () {
          if (number !== latest) {
            return;
          }
          var count = results.length;
          var words = "\u201c" + query + "\u201d";
          say(count === 0 ? "No results for " + words :
            count + (count === 1 ? " result for " : " results for ") + words, "done");
        });
      }).catch(function () {
        if (number === latest) {
          say("Search is not available just now; the catalogue and the browse pages still work.", "error");
        }
      });
    }

    input.addEventListener("focus", function () {
      open(true);
      loadPagefind(root).catch(function () { /* reported when a search is made */ });
    });
    input.addEventListener("input", run);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var link = list.querySelector("a");
      if (link) {
        window.location.assign(link.href);
      }
    });
    form.addEventListener("reset", function () {
      window.setTimeout(function () {
        run();
        input.focus();
      }, 0);
    });
    more.addEventListener("click", function () {
      var before = shown;
      showMore(input.value.trim(), latest).then(function () {
        var next = list.children[before];
        var link = next && next.querySelector("a");
        if (link) {
          link.focus();
        }
      });
    });

    box.addEventListener("keydown", function (event) {
      var items = links();
      var at = items.indexOf(document.activeElement);
      if (event.key === "ArrowDown") {
        var next = document.activeElement === input ? items[0] : items[at + 1];
        if (next) {
          next.focus();
          event.preventDefault();
        }
      } else if (event.key === "ArrowUp" && at >= 0) {
        (items[at - 1] || input).focus();
        event.preventDefault();
      } else if (event.key === "Escape") {
        event.preventDefault();
        if (document.activeElement !== input) {
          input.focus();
        } else {
          open(false);
        }
      }
    });
    input.addEventListener("keydown", function (event) {
      if (!/^(ArrowDown|ArrowUp|Escape|Enter|Tab|Shift)$/.test(event.key)) {
        open(true);
      }
    });
    box.addEventListener("focusout", function (event) {
      if (!event.relatedTarget || !box.contains(event.relatedTarget)) {
        open(false);
      }
    });
    if (toggle) {
      toggle.addEventListener("change", function () {
        if (toggle.checked && document.activeElement !== input) {
          input.focus(); // the header button on small screens
        }
      });
    }
    document.querySelectorAll("[data-coprod-search-open]").forEach(function (button) {
      button.addEventListener("click", function () { // a <button>: mouse, Enter and Space alike
        open(true);
        input.focus();
      });
    });
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      var typing = target && (/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) || target.isContentEditable);
      if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        open(true);
        input.focus();
      }
    });
    box.setAttribute("data-ready", "yes");
  }

  function start() {
    var box = document.querySelector("[data-coprod-search]");
    if (box && !box.getAttribute("data-ready")) {
      setUp(box);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
