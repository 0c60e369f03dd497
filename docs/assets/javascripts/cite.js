/* "Cite this page": fill in the reader's access date and show the copy buttons.
   Plain JavaScript, no requests. Without it the citations stay readable, with
   "[date accessed]" where the reader writes the date. */
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
    var codes = root.querySelectorAll("code[data-accessed-format]");
    for (var i = 0; i < codes.length; i++) {
      var code = codes[i];
      code.textContent = code.textContent.split(PLACEHOLDER).join(formatDate(today, code.getAttribute("data-accessed-format")));
    }
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
          navigator.clipboard.writeText(target.textContent).then(function () {
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
