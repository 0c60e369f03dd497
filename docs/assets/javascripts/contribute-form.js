// The contribute form (/contribute/): builds a case-study file in the browser.
// The form markup and the field list come from the JSON Schema (coprod/pages/contribute.py).
// It stores nothing and sends nothing: the file leaves the page only when the contributor
// downloads it, copies it or opens GitHub's new-file page with it. Text from the page is
// always set with textContent, never parsed as HTML. The validator stays the authority:
// these checks only catch the common mistakes early.
(function () {
  "use strict";

  var app = document.getElementById("contribute-app");
  if (!app) return;
  var model = JSON.parse(document.getElementById("contribute-schema").textContent);
  var form = document.getElementById("cf-form");
  var idEdited = false;

  // ---------------------------------------------------------------- readability
  // A port of coprod/checks/body.py readability_grade (Flesch-Kincaid grade). Syllables are
  // counted by vowel groups (a silent final "e" dropped), not by pyphen's hyphenation, so
  // the grade can differ a little from the validator's, which is the one that counts.
  var WORD_RE = /[A-Za-z][A-Za-z'\u2019-]*/g;
  var SENTENCE_RE = /[.!?]+(?=\s|$)|\n[ \t]*\n/;

  function syllables(word) {
    var w = word.toLowerCase().replace(/[^a-z]/g, "");
    if (w.length <= 3) return 1;
    w = w.replace(/(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$/, "").replace(/^y/, "");
    var groups = w.match(/[aeiouy]{1,2}/g);
    return groups ? groups.length : 1;
  }

  function readability(text) {
    var words = text.match(WORD_RE) || [];
    if (!words.length) return {words: 0, grade: 0};
    var sentences = text.split(SENTENCE_RE).filter(function (s) { return /[A-Za-z]/.test(s); }).length || 1;
    var syl = words.reduce(function (n, w) { return n + syllables(w); }, 0);
    var grade = 0.39 * words.length / sentences + 11.8 * syl / words.length - 15.59;
    return {words: words.length, grade: Math.round(grade * 10) / 10};
  }

  function showReadability(input, out) {
    var r = readability(input.value);
    var limits = model.readability;
    if (r.words < limits.minWords) {
      out.textContent = "Reading grade: write at least " + limits.minWords + " words to see it (" + r.words + " so far).";
      out.className = "cf-readability";
      return;
    }
    var ok = r.grade <= limits.max;
    out.textContent = "Reading grade " + r.grade.toFixed(1) + " (" + r.words + " words): " +
      (ok ? "plain English, well done." : "above " + limits.max + "; shorter sentences and everyday words bring it down.");
    out.className = "cf-readability " + (ok ? "cf-ok" : "cf-warn");
  }

  // ---------------------------------------------------------------- the DOM of the form
  function own(scope, name) {
    var all = scope.querySelectorAll('[data-field="' + name + '"]');
    for (var i = 0; i < all.length; i++) {
      if (all[i].parentElement.closest(".cf-scope") === scope) return all[i];
    }
    return null;
  }

  function control(el) { return el.querySelector(".cf-input"); }

  function addItem(listEl, focus) {
    var template = listEl.querySelector(":scope > template");
    var items = listEl.querySelector(":scope > .cf-items");
    var item = template.content.firstElementChild.cloneNode(true);
    var n = items.children.length + 1;
    item.querySelectorAll("[id]").forEach(function (el) { el.id = el.id + "-" + n; });
    item.querySelectorAll("[for]").forEach(function (el) { el.htmlFor = el.htmlFor + "-" + n; });
    item.querySelectorAll("[aria-describedby]").forEach(function (el) {
      el.setAttribute("aria-describedby", el.getAttribute("aria-describedby") + "-" + n);
    });
    items.appendChild(item);
    renumber(items);
    var first = item.querySelector("input, select, textarea");
    if (first && focus) first.focus();
    return item;
  }

  function renumber(items) {
    Array.prototype.forEach.call(items.children, function (item, i) {
      item.querySelector(".cf-n").textContent = String(i + 1);
    });
  }

  // ---------------------------------------------------------------- reading values
  function clean(text) { return text.replace(/\s+/g, " ").trim(); }

  function valueOf(field, el) {
    var input = control(el);
    switch (field.kind) {
      case "object": return collect(el, field.fields);
      case "list": return Array.prototype.map.call(el.querySelector(":scope > .cf-items").children, function (item) {
        return collect(item, field.fields);
      }).filter(function (v) { return v !== undefined; });
      case "terms": return Array.prototype.map.call(el.querySelectorAll("input:checked"), function (box) { return box.value; });
      case "refs": return Array.prototype.map.call(input.selectedOptions, function (o) { return o.value; });
      case "lines": return input.value.split("\n").map(clean).filter(Boolean);
      case "integer": return input.value.trim() === "" ? undefined : parseInt(input.value, 10);
      default: return clean(input.value) || undefined;
    }
  }

  function collect(scope, fields) {
    var out = {};
    fields.forEach(function (field) {
      var el = own(scope, field.name);
      var value = el ? valueOf(field, el) : undefined;
      if (value === undefined || (Array.isArray(value) && !value.length)) return;
      if (typeof value === "object" && !Array.isArray(value) && !Object.keys(value).length) return;
      out[field.name] = value;
    });
    return Object.keys(out).length ? out : undefined;
  }

  // ---------------------------------------------------------------- checks
  function check(scope, fields, data, errors) {
    fields.forEach(function (field) {
      var el = own(scope, field.name);
      if (!el) return;
      var value = data ? data[field.name] : undefined;
      var label = field.path;
      var nested = field.kind === "object" || field.kind === "list";
      var input = nested ? null : control(el) || el.querySelector("input, select, textarea");
      if (input && input.classList.contains("cf-input") && !input.checkValidity()) {
        errors.push({el: input, text: label + ": " + input.validationMessage});
      } else if (field.required && (value === undefined || (Array.isArray(value) && value.length < (field.minItems || 1)))) {
        errors.push({el: input || el.querySelector("button, input") || el, text: label + ": " + (field.kind === "list" || field.kind === "terms" ?
          "choose or add at least " + (field.minItems || 1) : "fill this in")});
      }
      if (field.reserved && field.reserved.indexOf(value) >= 0) {
        errors.push({el: input, text: label + ": '" + value + "' is taken by the site; choose another id"});
      } else if (field.name === "id" && scope === form && model.taken.indexOf(value) >= 0) {
        errors.push({el: input, text: label + ": '" + value + "' is already used by another case study; choose another id"});
      }
      if (field.kind === "object" && (value !== undefined || field.required)) check(el, field.fields, value, errors);
      if (field.kind === "list") {
        Array.prototype.forEach.call(el.querySelector(":scope > .cf-items").children, function (item) {
          var itemData = collect(item, field.fields) || {};
          check(item, field.fields, itemData, errors);
          Object.keys(field.dependentRequired || {}).forEach(function (name) {
            field.dependentRequired[name].forEach(function (needed) {
              if (itemData[name] !== undefined && itemData[needed] === undefined) {
                errors.push({el: control(own(item, needed)), text: label + "." + needed +
                  ": needed when a person is named; never name anyone without their recorded consent"});
              }
            });
          });
        });
      }
    });
    return errors;
  }

  // The GOV.UK error summary: "There is a problem", each problem a link to its field;
  // each field also says what is wrong beside it (aria-invalid, its message described).
  function clearFieldErrors() {
    form.querySelectorAll(".cf-error-message").forEach(function (p) { p.remove(); });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) {
      el.removeAttribute("aria-invalid");
      var ids = (el.getAttribute("aria-describedby") || "").split(" ").filter(function (id) { return !/-error$/.test(id); });
      el.setAttribute("aria-describedby", ids.join(" "));
    });
    form.querySelectorAll(".cf-field--error").forEach(function (el) { el.classList.remove("cf-field--error"); });
  }

  function markField(error, index) {
    var el = error.el;
    if (!el) return;
    var field = el.closest(".cf-field");
    var message = document.createElement("p");
    message.className = "cf-error-message";
    message.id = (el.id || "cf-problem-" + index) + "-error";
    message.textContent = error.text;
    if (field) {
      field.classList.add("cf-field--error");
      var before = field.querySelector(":scope > .cf-input, :scope > ul, :scope > .cf-items") || null;
      field.insertBefore(message, before);
    }
    if (el.matches("input, select, textarea")) {
      el.setAttribute("aria-invalid", "true");
      el.setAttribute("aria-describedby", ((el.getAttribute("aria-describedby") || "") + " " + message.id).trim());
    }
  }

  function showErrors(errors) {
    var box = document.getElementById("cf-errors");
    box.textContent = "";
    clearFieldErrors();
    if (!errors.length) { box.hidden = true; return; }
    var heading = document.createElement("h2");
    heading.id = "cf-errors-title";
    heading.textContent = "There is a problem";
    var intro = document.createElement("p");
    intro.textContent = "Please fix " + errors.length + " thing" + (errors.length > 1 ? "s" : "") + " before making the file:";
    var list = document.createElement("ul");
    errors.forEach(function (error, index) {
      markField(error, index);
      var li = document.createElement("li");
      var target = error.el && (error.el.id ? error.el : error.el.closest("[id]"));
      var link = document.createElement("a");
      link.className = "cf-goto";
      link.href = "#" + (target ? target.id : "cf-form");
      link.textContent = error.text;
      link.addEventListener("click", function (event) {
        event.preventDefault();
        if (!error.el) return;
        var details = error.el.closest("details");
        if (details) details.open = true;
        error.el.focus();
      });
      li.appendChild(link);
      list.appendChild(li);
    });
    box.appendChild(heading);
    box.appendChild(intro);
    box.appendChild(list);
    box.hidden = false;
    box.focus();
  }

  // The page address, checked as it is typed (or made from the title).
  var ID_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
  function checkId(input, out) {
    var value = input.value.trim();
    var problem = "";
    if (!value) problem = "Type a title, or an address: lower-case words joined by hyphens.";
    else if (!ID_RE.test(value)) problem = "Use only lower-case letters and digits, words joined by single hyphens.";
    else if (value.length < 3 || value.length > 60) problem = "Use between 3 and 60 characters.";
    else if (model.reserved.indexOf(value) >= 0) problem = "'" + value + "' is taken by the site; choose another.";
    else if (model.taken.indexOf(value) >= 0) problem = "'" + value + "' is already used by another case study; add a word.";
    out.textContent = problem || ("Free. The page will be at /case-studies/" + value + "/.");
    out.className = "cf-id-check " + (problem ? "cf-warn" : "cf-ok");
  }

  // ---------------------------------------------------------------- writing the file
  var PLAIN = /^[A-Za-z][A-Za-z0-9 ,.'()\/-]*$/;
  var YAML_WORDS = /^(y|yes|n|no|true|false|on|off|null)$/i;

  function scalar(value) {
    if (typeof value === "number") return String(value);
    if (PLAIN.test(value) && !YAML_WORDS.test(value)) return value;
    return JSON.stringify(value);  // a JSON string is a YAML double-quoted scalar
  }

  function yaml(value, indent) {
    var pad = new Array(indent + 1).join(" ");
    var lines = [];
    Object.keys(value).forEach(function (key) {
      var v = value[key];
      if (Array.isArray(v)) {
        lines.push(pad + key + ":");
        v.forEach(function (item) {
          if (typeof item === "object") {
            var inner = yaml(item, indent + 4);
            lines.push(pad + "  - " + inner[0].trim());
            lines = lines.concat(inner.slice(1));
          } else {
            lines.push(pad + "  - " + scalar(item));
          }
        });
      } else if (typeof v === "object") {
        lines.push(pad + key + ":");
        lines = lines.concat(yaml(v, indent + 2));
      } else {
        lines.push(pad + key + ": " + scalar(v));
      }
    });
    return lines;
  }

  function fileText(data) {
    var body = document.getElementById("cf-body").value.replace(/\r\n?/g, "\n").trim();
    return "---\n" + yaml(data, 0).join("\n") + "\n---\n\n" + (body ? body + "\n" : "");
  }

  function showResult(data) {
    var text = fileText(data);
    var name = data.id + ".md";
    document.getElementById("cf-output").value = text;
    document.getElementById("cf-filename").textContent = model.folder + "/" + name;
    var download = document.getElementById("cf-download");
    if (download.href && download.href.indexOf("blob:") === 0) URL.revokeObjectURL(download.href);
    download.href = URL.createObjectURL(new Blob([text], {type: "text/markdown;charset=utf-8"}));
    download.setAttribute("download", name);
    var github = document.getElementById("cf-github");
    var repo = app.getAttribute("data-repo-url");
    if (/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/.test(repo)) {
      github.href = repo + "/new/main/" + app.getAttribute("data-folder") + "?filename=" +
        encodeURIComponent(name) + "&value=" + encodeURIComponent(text);
      github.hidden = false;
    } else {
      github.hidden = true;
    }
    var result = document.getElementById("cf-result");
    result.hidden = false;
    document.getElementById("cf-message").textContent = "";
    document.getElementById("cf-result-title").focus();
  }

  function copy() {
    var output = document.getElementById("cf-output");
    var status = document.getElementById("cf-message");
    function done() { status.textContent = "Copied. Paste it into a new file named " + document.getElementById("cf-filename").textContent + "."; }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(output.value).then(done, function () {
        output.select();
        status.textContent = "The text is selected: press Ctrl+C (or Cmd+C) to copy it.";
      });
    } else {
      output.select();
      status.textContent = "The text is selected: press Ctrl+C (or Cmd+C) to copy it.";
    }
  }

  // ---------------------------------------------------------------- wiring
  function slug(title) {
    var out = "";
    (title.toLowerCase().match(/[a-z0-9]+/g) || []).some(function (word) {
      if (out.length + word.length + 1 > 60) return true;
      out = out ? out + "-" + word : word;
      return false;
    });
    return out;
  }

  function today() {
    var d = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
  }

  function start() {
    var published = document.getElementById("cf-published");
    if (published && !published.value) published.value = today();
    // every required list starts with one empty item to fill in
    model.fields.forEach(function (field) {
      if (field.kind === "list" && field.required) addItem(own(form, field.name), false);
    });
    form.addEventListener("click", function (event) {
      var target = event.target;
      if (target.classList.contains("cf-add")) addItem(target.closest(".cf-field"), true);
      if (target.classList.contains("cf-remove")) {
        var items = target.closest(".cf-items");
        target.closest(".cf-item").remove();
        renumber(items);
      }
    });
    var idInput = document.getElementById("cf-id");
    var title = document.getElementById("cf-title");
    var idCheck = document.getElementById("cf-id-check");
    idInput.addEventListener("input", function () {
      idEdited = idInput.value !== "";
      if (idCheck) checkId(idInput, idCheck);
    });
    title.addEventListener("input", function () {
      if (!idEdited) idInput.value = slug(title.value);
      if (idCheck && title.value) checkId(idInput, idCheck);
    });
    form.querySelectorAll("[data-kind] .cf-readability").forEach(function (out) {
      var input = out.parentElement.querySelector(".cf-input");
      input.addEventListener("input", function () { showReadability(input, out); });
      showReadability(input, out);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = collect(form, model.fields) || {};
      var errors = check(form, model.fields, data, []);
      showErrors(errors);
      if (!errors.length) showResult(data);
    });
    document.getElementById("cf-copy").addEventListener("click", copy);
    showProgress();
  }

  // The progress line: the step in view is marked (aria-current="step"), and a step whose
  // required fields are all filled in gets a tick.
  function showProgress() {
    var links = Array.prototype.slice.call(document.querySelectorAll(".cf-progress a[href^='#cf-step-']"));
    var sections = links.map(function (a) { return document.getElementById(a.getAttribute("href").slice(1)); });
    if (!links.length || sections.indexOf(null) >= 0) return;
    function mark(index) {
      links.forEach(function (a, i) {
        if (i === index) a.setAttribute("aria-current", "step"); else a.removeAttribute("aria-current");
      });
    }
    function done() {
      sections.forEach(function (section, i) {
        var required = section.querySelectorAll("[required]");
        var filled = Array.prototype.every.call(required, function (el) { return el.value && el.checkValidity(); });
        links[i].classList.toggle("cf-step-done", required.length > 0 && filled);
      });
    }
    if ("IntersectionObserver" in window) {
      var observer = new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          if (entry.isIntersecting) mark(sections.indexOf(entry.target));
        });
      }, { rootMargin: "-30% 0px -60% 0px" });
      sections.forEach(function (section) { observer.observe(section); });
    }
    form.addEventListener("input", done);
    form.addEventListener("change", done);
    done();
  }

  start();
})();
