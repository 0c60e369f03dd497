/*
 * A link to something inside a folded section (a citation's reference, "Cite this page")
 * opens the section first, so the link never lands on a closed <details>. Browsers that
 * open details on fragment navigation do the same; this covers the rest. Without
 * JavaScript the section's heading is still the link's target, with its summary below it.
 */
(function () {
  "use strict";

  function reveal() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target) {
      return;
    }
    var opened = false;
    for (var node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS" && !node.open) {
        node.open = true;
        opened = true;
      }
    }
    // a heading's own section: open the fold that follows it ("Cite this page")
    if (/^H[1-6]$/.test(target.tagName)) {
      var next = target.nextElementSibling;
      var fold = next && (next.tagName === "DETAILS" ? next : next.querySelector(":scope > details"));
      if (fold && !fold.open) {
        fold.open = true;
        opened = true;
      }
    }
    if (opened) {
      target.scrollIntoView();
    }
  }

  window.addEventListener("hashchange", reveal);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", reveal);
  } else {
    reveal();
  }
})();
