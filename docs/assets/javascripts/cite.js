/* "Cite this page": fill in the reader's access date and show the copy buttons.
   Plain JavaScript, no requests. Without it the citations stay readable, with
   "[date accessed]" where the reader writes the date. A style's citation (rendered by the
   CSL processor, with its italics) is copied as rich text and as plain text, so a word
   processor keeps the italics and a plain text field gets the words; a file format as text. */
(function () {
  "use strict";
  var PLACEHOLDER = "[date accessed]";
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function formatDate(date, style) {
    var y = date.getFullYear(), m = date.getMonth(), d = date.getDate();
    switch (style) {
      case "us": return MONTHS[m] + " " + d + ", " + y;               // APA: November 26, 2026
      case "uk": return d + " " + MONTHS[m] + " " + y;                // Harvard: 26 November 2026
      case "vancouver": return y + " " + MONTHS[m].slice(0, 3) + " " + d;  // 2026 Nov 26
      case "ris": return y + "/" + pad(m + 1) + "/" + pad(d);
      default: return y + "-" + pad(m + 1) + "-" + pad(d);          // BibTeX, CSL-JSON
    }
  }

  function fillDates(root, today) {
    var blocks = root.querySelectorAll("[data-accessed-format]");
    for (var i = 0; i < blocks.length; i++) {
      var when = formatDate(today, blocks[i].getAttribute("data-accessed-format"));
      // text nodes only: the citation's markup (italics, links) stays as the processor wrote it
      var walker = document.createTreeWalker(blocks[i], NodeFilter.SHOW_TEXT);
      for (var node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.nodeValue.indexOf(PLACEHOLDER) !== -1) {
          node.nodeValue = node.nodeValue.split(PLACEHOLDER).join(when);
        }
      }
    }
  }

  function copy(target) {
    var text = target.textContent;
    if (target.tagName !== "CODE" && window.ClipboardItem) {
      var item = new ClipboardItem({
        "text/html": new Blob([target.innerHTML], { type: "text/html" }),
        "text/plain": new Blob([text], { type: "text/plain" })
      });
      return navigator.clipboard.write([item]).catch(function () { return navigator.clipboard.writeText(text); });
    }
    return navigator.clipboard.writeText(text);
  }

  function enableCopy(root) {
    if (!navigator.clipboard) { return; }
    var buttons = root.querySelectorAll("button[data-copy]");
    for (var i = 0; i < buttons.length; i++) {
      (function (button) {
        var target = document.getElementById(button.getAttribute("data-copy"));
        if (!target) { return; }
        var label = button.textContent;
        button.hidden = false;
        button.addEventListener("click", function () {
          copy(target).then(function () {
            button.textContent = "Copied";
            setTimeout(function () { button.textContent = label; }, 2000);
          });
        });
      })(buttons[i]);
    }
  }

  function start() {
    var boxes = document.querySelectorAll(".coprod-cite");
    for (var i = 0; i < boxes.length; i++) {
      fillDates(boxes[i], new Date());
      enableCopy(boxes[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
