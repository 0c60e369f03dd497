/*
 * "Tell us about a project" on /contribute/ (coprod/pages/contribute.py tell_us_html):
 * one question to a page, then "Check your answers" with a "Change" link per answer
 * (GOV.UK's pattern), then two ways to send: the reader's own e-mail program with the
 * answers filled in (a mailto: link: no account needed), or a new GitHub issue with the
 * answers filled in. Nothing is stored or sent by this script: the reader sends, from
 * their e-mail program or from GitHub, after pressing one of those.
 *
 * Without the script (<noscript>), a link to an e-mail to the editors that opens with every
 * question filled in.
 */
(function () {
  "use strict";

  function start() {
    var root = document.getElementById("tell-us");
    var form = document.getElementById("tu-form");
    if (!root || !form || root.getAttribute("data-ready")) {
      return;
    }
    root.setAttribute("data-ready", "yes");
    var steps = Array.prototype.slice.call(form.querySelectorAll(".tu-step"));
    var check = document.getElementById("tu-check");
    var answers = document.getElementById("tu-answers");
    var back = document.getElementById("tu-back");
    var next = document.getElementById("tu-next");
    var mail = document.getElementById("tu-mail");
    var issue = document.getElementById("tu-issue");
    var sendTo = root.getAttribute("data-send-to") || "";
    var issueUrl = root.getAttribute("data-issue-url") || "";
    var current = 0;
    var returnToCheck = false;

    function questionOf(step) {
      var text = step.querySelector(".tu-question");
      return text ? text.textContent : "";
    }

    function answerOf(step) {
      var boxes = step.querySelectorAll("input[type=checkbox]:checked");
      if (boxes.length) {
        return Array.prototype.map.call(boxes, function (box) {
          return box.value;
        }).join(", ");
      }
      var field = step.querySelector("input[type=text], textarea");
      return field ? field.value.trim() : "";
    }

    function missing(step) {
      var field = step.querySelector("[required]");
      return field && !field.value.trim() ? field : null;
    }

    function show(index) {
      current = index;
      steps.forEach(function (step, i) {
        step.hidden = i !== index;
      });
      check.hidden = index !== steps.length;
      back.hidden = index === 0;
      next.hidden = index === steps.length;
      next.textContent = returnToCheck ? "Save and check your answers" : "Continue";
      if (index === steps.length) {
        fillCheck();
        document.getElementById("tu-check-title").focus();
      } else {
        var field = steps[index].querySelector("input, textarea");
        if (field && document.activeElement !== document.body) {
          field.focus();
        }
      }
    }

    function message() {
      var lines = ["A case study proposed on the Co-production Evidence Library", ""];
      steps.forEach(function (step) {
        lines.push(questionOf(step));
        lines.push(answerOf(step) || "(no answer)");
        lines.push("");
      });
      return lines.join("\n");
    }

    function fillCheck() {
      answers.replaceChildren();
      steps.forEach(function (step, index) {
        var change = document.createElement("a");
        change.href = "#" + (step.querySelector("input, textarea") || {}).id;
        change.textContent = "Change";
        var hidden = document.createElement("span");
        hidden.className = "coprod-sr-only";
        hidden.textContent = " " + questionOf(step).toLowerCase();
        change.appendChild(hidden);
        change.addEventListener("click", function (event) {
          event.preventDefault();
          returnToCheck = true;
          show(index);
        });
        var row = document.createElement("div");
        row.className = "coprod-summary-list__row";
        var term = document.createElement("dt");
        term.textContent = questionOf(step);
        var value = document.createElement("dd");
        value.textContent = answerOf(step) || "Not answered";
        var action = document.createElement("dd");
        action.className = "tu-change";
        action.appendChild(change);
        row.appendChild(term);
        row.appendChild(value);
        row.appendChild(action);
        answers.appendChild(row);
      });
      var title = answerOf(steps[0]) || "A case study";
      var body = message();
      if (sendTo) {
        mail.href = "mailto:" + encodeURIComponent(sendTo).replace(/%40/g, "@") + "?subject=" +
          encodeURIComponent("Case study: " + title) + "&body=" + encodeURIComponent(body);
        mail.hidden = false;
      }
      if (/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/issues\/new$/.test(issueUrl)) {
        issue.href = issueUrl + "?title=" + encodeURIComponent("Case study: " + title) +
          "&labels=case-study&body=" + encodeURIComponent(body);
        issue.hidden = false;
      }
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault(); // with the script, the answers are sent from "Check your answers"
      if (current >= steps.length) {
        return;
      }
      var empty = missing(steps[current]);
      var error = steps[current].querySelector(".tu-error");
      if (empty) {
        if (error) {
          error.hidden = false;
          empty.setAttribute("aria-invalid", "true");
          empty.setAttribute("aria-describedby", error.id + " " + (empty.getAttribute("aria-describedby") || ""));
        }
        empty.focus();
        return;
      }
      if (error) {
        error.hidden = true;
        var field = steps[current].querySelector("[aria-invalid]");
        if (field) {
          field.removeAttribute("aria-invalid");
        }
      }
      if (returnToCheck) {
        returnToCheck = false;
        show(steps.length);
        return;
      }
      show(current + 1);
    });
    back.addEventListener("click", function () {
      returnToCheck = false;
      show(Math.max(0, current - 1));
    });
    form.noValidate = true; // checked here, a question at a time
    form.classList.add("tu-form--steps");
    show(0);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
