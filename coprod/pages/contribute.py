"""The contribute pages and the issue form, all read from the one schema.

- :func:`contribute_pages`: the form page ``contribute/index.md`` for people without Git
  and the field reference ``contribute/fields.md``;
- :func:`issue_form`: the case-study issue form (``.github/ISSUE_TEMPLATE/case-study.yml``)
  from :data:`coprod.read.new_case_study.ISSUE_FIELDS`.

What a new case study starts as (its id, its front matter, its story's sections, how an
answered issue is read) is :mod:`coprod.read.new_case_study`, which the contributor's
commands (:mod:`coprod.cli`) use too.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import yaml
from markupsafe import Markup

from ..checks.body import READABILITY_MAX_GRADE, READABILITY_MIN_WORDS
from ..cite.latex import latex_text
from ..model import Library
from ..read import urls
from ..read.fields import REQUIRED_NOTE, Field, describe, every_field, example_text
from ..read.kinds import CASE_STUDY, KINDS
from ..read.new_case_study import (
    BODY_SECTIONS,
    CONSENT_OPTIONS,
    DEFAULTS,
    ISSUE_FIELDS,
    RESERVED_IDS,
    IssueField,
    slug_id,
)
from ..read.schema import WILDCARD
from ..render import templates
from ..render.markup import esc, esc_lines, inline, link
from . import Page, html_page

FORM = "contribute/index.md"
FIELDS = "contribute/fields.md"
GUIDE = "contribute/guide.md"
CASE_STUDIES = "evidence/case-studies"


# ----------------------------------------------------------------------------- the issue form

def issue_form(evidence: Library) -> str:
    """The GitHub issue form (.github/ISSUE_TEMPLATE/case-study.yml), generated; a test keeps the file current."""
    body: list[dict] = [{"type": "markdown", "attributes": {"value": (
        "Thank you for proposing a case study. An editor turns this issue into a file and opens a pull request. "
        "Please read the contributor guide first: what makes a good case study, and who may be named.")}}]
    for question in ISSUE_FIELDS:
        body.append(_issue_element(evidence, question))
    form = {"name": "Propose a case study",
            "description": "A case study of co-produced health and social care research, for people without Git.",
            "title": f"{CASE_STUDY.title}: ", "labels": [CASE_STUDY.singular], "body": body}
    header = "# Generated from evidence/schema and evidence/taxonomy.yml by coprod/pages/contribute.py; do not edit.\n"
    return header + yaml.safe_dump(form, sort_keys=False, allow_unicode=True, width=100)


def _issue_element(evidence: Library, question: IssueField) -> dict:
    label, kind, help_text = question.label, question.kind, question.help
    ident = slug_id(label).replace("-", "_")
    if kind == "dropdown":
        vocab = evidence.taxonomy[evidence.vocabulary_of(help_text)]
        return {"type": "dropdown", "id": ident, "attributes": {
            "label": label, "description": vocab.description, "multiple": True,
            "options": [f"{term.key}: {term.label}" for term in vocab.terms.values()]},
            "validations": {"required": True}}
    if kind == "checkboxes":
        return {"type": "checkboxes", "id": ident, "attributes": {
            "label": label, "options": [{"label": text, "required": True} for text in CONSENT_OPTIONS]}}
    keys = {"_".join(p for p in f.pattern if p != WILDCARD): ", ".join(evidence.taxonomy[f.vocabulary].keys())
            for f in evidence.fields.terms_of(CASE_STUDY.key) if evidence.taxonomy.get(f.vocabulary)}
    return {"type": kind, "id": ident, "attributes": {"label": label, "description": help_text.format(**keys)},
            "validations": {"required": question.key != "story"}}


# ----------------------------------------------------------------------------- the form and field reference

def contribute_pages(evidence: Library, repo_url: str, editors_email: str = "") -> list[Page]:
    """The form page and the field reference."""
    return [form_page(evidence, repo_url, editors_email), fields_page(evidence)]


def form_model(evidence: Library) -> dict:
    """What the form's script needs: the field tree, vocabularies, references, taken ids, limits."""
    # only what the site publishes anyway: a draft's id (perhaps of a sensitive study) never
    # reaches the public page; a new case study that picks it is told by the validator
    taken = set(RESERVED_IDS)
    for record in evidence.published(CASE_STUDY.key):
        taken |= {record.id, *record.aliases}
    cited = published_citations(evidence)
    return {
        "fields": [_field_model(f) for f in describe(evidence.schemas[CASE_STUDY.key])],
        "vocabularies": {name: [{"key": t.key, "label": t.label, "definition": t.definition}
                                for t in vocab.terms.values()] for name, vocab in evidence.taxonomy.vocabularies.items()},
        "references": [{"key": key, "title": _entry_title(entry)} for key, entry in evidence.bibliography.entries.items()
                       if key in cited],
        "taken": sorted(taken),
        "reserved": list(RESERVED_IDS),
        "readability": {"max": READABILITY_MAX_GRADE, "minWords": READABILITY_MIN_WORDS},
        "folder": CASE_STUDIES,
    }


def _field_model(f: Field) -> dict:
    """One field as the form's script reads it (the children of a group or of each item of a list in ``fields``)."""
    model: dict[str, Any] = {"name": f.key, "path": f.name, "kind": _kind(f), "required": f.required,
                             "label": _label(f.key), "help": f.description}
    limits = {"minItems": f.min_items, "minLength": f.min_length, "maxLength": f.max_length, "minimum": f.minimum,
              "maximum": f.maximum, "pattern": f.pattern_regex, "default": f.default}
    model.update({key: value for key, value in limits.items() if value is not None})
    if f.enum:
        model["options"] = list(f.enum)
    if f.reserved:
        model["reserved"] = list(f.reserved)
    if f.values.vocabulary:
        model["vocabulary"] = f.values.vocabulary
    if f.readability:
        model["readability"] = True
    if f.private:
        model["private"] = True
    if model["kind"] == "object":
        model["fields"] = [_field_model(child) for child in f.fields]
    elif model["kind"] == "list" and f.item is not None:
        model["fields"] = [_field_model(child) for child in f.item.fields]
        if f.item.dependent_required:
            model["dependentRequired"] = {name: list(needed) for name, needed in f.item.dependent_required.items()}
    return model


def _kind(f: Field) -> str:
    """The form's control for a field."""
    if f.type == "object":
        return "object"
    if f.is_list:
        item = f.values
        if item.fields:
            return "list"
        if item.vocabulary:
            return "terms"
        return "refs" if item.reference == "bibtex" else "lines"
    if f.type == "integer":
        return "integer"
    if f.enum:
        return "enum"
    if f.vocabulary:
        return "term"
    if f.format == "date":
        return "date"
    if f.format == "uri":
        return "url"
    return "textarea" if (f.max_length or 0) > 400 else "text"


def _label(name: str) -> str:
    return {"id": "Page address", "plain_english_summary": "Plain English summary"}.get(
        name, name.replace("_", " ").capitalize())


def published_citations(evidence: Library) -> set[str]:
    """The reference keys the published records and terms cite: the references a new case
    study can choose from on the form. Only these are embedded in the page (twice: in the
    form's data and in its list), so its size follows what the site publishes, not the
    size of references.bib (a 20 MB file made a 65 MB page)."""
    keys: set[str] = set()
    for record in evidence.every_published():
        keys.update(item.key for citation in record.citations for item in citation.items)
        keys.update(getattr(record, "sources", ()))
        for links in (getattr(record, "supporting", None), getattr(record, "contrary", None)):
            keys.update(links.references if links else ())
    for vocab in evidence.taxonomy.vocabularies.values():
        keys.update(term.source for term in vocab.terms.values() if term.source)
    return keys


def _entry_title(entry: Any) -> str:
    """The title as a reader sees it: LaTeX decoded by the one decoder ("H{\\={a}} Ora" is
    "Hā Ora", not "H=a Ora")."""
    title = entry.fields.get("title", "") if hasattr(entry, "fields") else ""
    return latex_text(str(title))[:120]




def script_json(data: object) -> str:
    """JSON safe inside a <script> element: no '<', '>' or '&' can end it or start a comment."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False)
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                       ("\u2029", "\\u2029")):
        text = text.replace(char, code)
    return text


def form_page(evidence: Library, repo_url: str, send_to: str = "") -> Page:
    """``contribute/index.md``: first the form for everyone ("Tell us about a project"):
    plain questions one to a page, "Check your answers", then sending by e-mail (no
    account needed) or as a GitHub issue; then, for editors, the form that writes the
    case-study file (overrides/partials/coprod/contribute.html)."""
    model = form_model(evidence)
    script = urls.rel(FORM, "assets/javascripts/contribute-form.js")
    editors = ('<details class="cf-editors"><summary>For editors: write the case-study file</summary>'
               "<p>This form writes the case study's file for the library (its fields, in the library's format), to "
               "download, copy or propose on GitHub as a pull request. Nothing you type is stored or sent anywhere "
               f'by this page. Every field is described in the <a href="{esc(urls.href(FORM, FIELDS))}">field '
               "reference</a>.</p>")
    by_name = {f["name"]: f for f in model["fields"]}
    placed = {name for _, _, names in FORM_SECTIONS for name in names}
    steps = "".join(f'<li><a href="#cf-step-{key}">{esc(title)}</a></li>' for key, title, _ in FORM_SECTIONS)
    sections = []
    for number, (key, title, names) in enumerate(FORM_SECTIONS, start=1):
        inner = "".join(_field_html(by_name[n], model) for n in names if n in by_name)
        if key == "what-happened":
            inner += _body_html()
        sections.append(f'<section class="cf-section" id="cf-step-{key}" aria-labelledby="cf-step-{key}-title">'
                        f'<h2 id="cf-step-{key}-title"><span class="cf-step">Step {number} of {len(FORM_SECTIONS)}'
                        f'</span> {esc(title)}</h2>{inner}</section>')
    # the fields an editor sets (status, dates, version, aliases, licence...), and any field
    # the schema gains later, so that every field of the schema is in the form
    more = "".join(_field_html(f, model) for f in model["fields"] if f["name"] not in placed)
    parts = [
        editors,
        f'<div id="contribute-app" data-repo-url="{esc(repo_url.rstrip("/"))}" data-folder="{esc(CASE_STUDIES)}">',
        ('<noscript><p>This form needs JavaScript. Without it, follow the contributor guide and write the file '
        'from the template.</p></noscript>'),
        f'<nav class="cf-progress" aria-label="Steps of the form"><ol>{steps}</ol></nav>',
        '<form id="cf-form" class="cf-scope" novalidate>',
        ('<div id="cf-errors" class="cf-error-summary" role="alert" tabindex="-1" aria-labelledby="cf-errors-title" '
         'hidden></div>'),
        *sections,
        ('<details class="cf-more"><summary>More options: page address history, version, dates, status, '
         f'licence</summary><p class="cf-help">Most people leave these as they are.</p>{more}</details>'),
        '<p><button type="submit" class="md-button md-button--primary" id="cf-make">Make the file</button></p>',
        '</form>',
        _result_html(),
        f'<script type="application/json" id="contribute-schema">{script_json(model)}</script>',
        f'<script src="{esc(script)}" defer></script>',
        '</div>',
        '</details>',
    ]
    return html_page(FORM, "contribute.html", "Propose a case study", guide_href=urls.href(FORM, GUIDE),
                     tell_us=templates.raw(tell_us_html(evidence, repo_url, send_to)), editors=templates.raw("".join(parts)))


# The questions for everyone, one to a page (GOV.UK's pattern): plain words, no file
# names, keys or markup. (name, question, hint, kind, required)
TELL_US = (
    ("project", "What was the project called?", "Its name, or a few words that describe it.", "text", True),
    ("about", "What was the research about, and where did it happen?",
     "For example: a study of hospital discharge for older people, in Leeds, in 2021.", "textarea", True),
    ("involved", "How were patients, carers or the public involved?",
     "Who took part, what they did, and which decisions they shared. Do not name anyone without their agreement.",
     "textarea", True),
    ("difference", "What difference did it make?",
     "To the research, to the people involved or to services. Say how you know, if you can.", "textarea", False),
    ("areas", "Which areas of health and care was it about?", "Choose all that apply.", "checkboxes", False),
    ("sources", "Where can we read about it?",
     "Web links, reports or papers. Leave this empty if nothing is published yet.", "textarea", False),
    ("contact", "How can we contact you about it?",
     "Optional: your name and e-mail address, if you are happy for an editor to ask you questions.", "textarea",
     False),
)


def tell_us_html(evidence: Library, repo_url: str, send_to: str) -> str:
    """The questions for everyone, one to a page (tell-us.js moves between them), then
    "Check your answers", then the send buttons; without the script, a link to an e-mail
    to the editors that has every question filled in."""
    vocab = evidence.taxonomy.get(evidence.vocabulary_of("settings"))
    areas = list(vocab.terms.values()) if vocab else []
    steps = []
    total = len(TELL_US)
    for number, (name, question, hint, kind, required) in enumerate(TELL_US, start=1):
        ident = f"tu-{name}"
        optional = "" if required else ' <span class="tu-optional">(optional)</span>'
        caption = f'<span class="tu-count">Question {number} of {total}</span>'
        if kind == "checkboxes":
            boxes = "".join(f'<li><input type="checkbox" id="{ident}-{esc(t.key)}" name="{name}" value="{esc(t.label)}">'
                            f'<label for="{ident}-{esc(t.key)}">{esc(t.label)}</label></li>' for t in areas)
            control = (f'<fieldset class="tu-fieldset" aria-describedby="{ident}-hint"><legend>{caption}'
                       f'<span class="tu-question">{esc(question)}</span>{optional}</legend>'
                       f'<p class="tu-hint" id="{ident}-hint">{esc(hint)}</p><ul class="tu-boxes">{boxes}</ul></fieldset>')
        else:
            field = (f'<input type="text" id="{ident}" name="{name}" autocomplete="off"' if kind == "text"
                     else f'<textarea id="{ident}" name="{name}" rows="6"')
            field += f' aria-describedby="{ident}-hint"' + (" required" if required else "")
            field += ">" if kind == "text" else "></textarea>"
            control = (f'<label for="{ident}">{caption}<span class="tu-question">{esc(question)}</span>{optional}'
                       f'</label><p class="tu-hint" id="{ident}-hint">{esc(hint)}</p>'
                       f'<p class="tu-error" id="{ident}-error" hidden>Answer this question to go on.</p>{field}')
        later = " hidden" if number > 1 else ""  # one question to a page from the start: nothing shifts
        steps.append(f'<section class="tu-step" data-name="{name}" aria-label="Question {number} of {total}"{later}>'
                     f"{control}</section>")
    issue = f"{repo_url.rstrip('/')}/issues/new" if repo_url else ""
    # without the script: a plain e-mail link with the questions filled in (a form posted
    # to mailto: is refused by the page's policy, form-action 'self')
    questions = "\n\n".join(question + "\n" for _, question, _, _, _ in TELL_US)
    plain = ("mailto:" + quote(send_to, safe="@") + "?subject=" + quote("Case study: ") + "&body="
             + quote("A case study proposed on the Co-production Evidence Library\n\n" + questions))
    nojs = (f'<noscript><p class="tu-nojs">Your browser is not running this page\'s script, so answer these questions in '
            f'<a href="{esc(plain)}">an e-mail to the editors</a> (it opens with the questions filled in).</p></noscript>' if send_to else "")
    return "".join([
        f'<div id="tell-us" data-send-to="{esc(send_to)}" data-issue-url="{esc(issue)}">',
        nojs,
        '<form id="tu-form" class="cf-scope tu-form" novalidate>',
        *steps,
        ('<section class="tu-check" id="tu-check" hidden><h2 id="tu-check-title" tabindex="-1">Check your answers</h2>'
        '<dl class="coprod-summary-list" id="tu-answers"></dl>'
        '<h3>Send your answers</h3><p>Nothing is sent until you choose one of these.</p>'
        '<p class="tu-send"><a class="md-button md-button--primary" id="tu-mail" hidden>Send by e-mail</a> '
        '<a class="md-button" id="tu-issue" rel="noopener" hidden>Send as a GitHub issue</a></p>'
        '<p class="tu-hint">E-mail opens your own e-mail program with your answers filled in; you then press send '
        "there. A GitHub issue needs a GitHub account.</p></section>"),
        ('<p class="tu-nav"><button type="button" class="md-button" id="tu-back" hidden>Back</button>'
         '<button type="submit" class="md-button md-button--primary" id="tu-next">Continue</button></p>'),
        "</form>",
        f'<script src="{esc(urls.rel(FORM, "assets/javascripts/tell-us.js"))}" defer></script>',
        "</div>",
    ])


# The form's steps, in the order a contributor thinks of them (the schema's order is the
# file's): fields not named here go under "More options".
FORM_SECTIONS = (
    ("about", "About the project", ("title", "id", "summary", "plain_english_summary", "project", "settings")),
    ("who", "Who was involved", ("involved", "research_stages", "principles")),
    ("what-happened", "What happened", ("features", "barriers", "enablers", "resources")),
    ("what-changed", "What changed", ("outcomes",)),
    ("sources", "Sources", ("sources", "authors")),
)


def _field_html(f: dict, model: dict, prefix: str = "cf") -> str:
    ident = f"{prefix}-{f['name']}"
    required = ' <span class="cf-required">(required)</span>' if f["required"] else ""
    help_html = f'<p class="cf-help" id="{ident}-help">{esc(f["help"])}</p>'
    kind = f["kind"]
    data = f'data-field="{esc(f["name"])}" data-kind="{kind}"'
    attrs = f'class="cf-field" {data}'
    if kind == "object":
        # children of an optional object are required only once it is filled in (the script checks)
        inner = "".join(_field_html(c if f["required"] else {**c, "required": False}, model, ident)
                        for c in f["fields"])
        return (f'<fieldset class="cf-field cf-scope" {data} id="{ident}"><legend>{esc(f["label"])}{required}</legend>'
                f'{help_html}{inner}</fieldset>')
    if kind == "list":
        inner = "".join(_field_html(c, model, f"{ident}-item") for c in f["fields"])
        singular = esc(f["label"].lower())
        return (f'<fieldset {attrs} id="{ident}"><legend>{esc(f["label"])}{required}</legend>{help_html}'
                f'<div class="cf-items"></div>'
                f'<template><fieldset class="cf-item cf-scope"><legend>{esc(f["label"])} <span class="cf-n">'
                f'</span></legend>{inner}<button type="button" class="md-button cf-remove">Remove</button></fieldset>'
                f'</template><button type="button" class="md-button cf-add">Add to {singular}</button></fieldset>')
    if kind == "terms":
        boxes = "".join(
            f'<li><label><input type="checkbox" name="{ident}" value="{esc(t["key"])}"> <strong>{esc(t["label"])}'
            f'</strong> <code>{esc(t["key"])}</code></label><br><span class="cf-definition">'
            f'{esc(t["definition"])}</span></li>' for t in model["vocabularies"].get(f["vocabulary"], []))
        return (f'<fieldset {attrs} id="{ident}"><legend>{esc(f["label"])}{required}</legend>{help_html}'
                f'<ul class="cf-terms">{boxes}</ul></fieldset>')
    return (f'<div {attrs}><label for="{ident}">{esc(f["label"])}{required}</label>{help_html}'
            f'{_control_html(f, model, ident)}{_extra_html(f, ident)}</div>')


def _control_html(f: dict, model: dict, ident: str) -> str:
    kind = f["kind"]
    common = f'id="{ident}" class="cf-input" aria-describedby="{ident}-help"' + (" required" if f["required"] else "")
    for key, attr in (("minLength", "minlength"), ("maxLength", "maxlength"), ("minimum", "min"), ("maximum", "max"),
                      ("pattern", "pattern")):
        if key in f and not (key == "pattern" and kind in ("date", "url")):
            value = f[key].strip("^$") if key == "pattern" else f[key]
            common += f' {attr}="{esc(value)}"'
    if kind in ("enum", "term"):
        options = f.get("options") or [t["key"] for t in model["vocabularies"].get(f.get("vocabulary", ""), [])]
        labels = {t["key"]: t for t in model["vocabularies"].get(f.get("vocabulary", ""), [])}
        default = f.get("default", DEFAULTS.get(f["name"], ""))
        items = "".join(
            f'<option value="{esc(o)}"{" selected" if o == default else ""}>{esc(o)}'
            f'{esc(": " + labels[o]["label"] + ". " + labels[o]["definition"]) if o in labels else ""}</option>'
            for o in options)
        blank = "" if default else '<option value="">Choose one</option>'
        return f"<select {common}>{blank}{items}</select>"
    if kind == "refs":
        items = "".join(f'<option value="{esc(r["key"])}">{esc(r["key"])}: {esc(r["title"])}</option>'
                        for r in model["references"])
        return f'<select {common} multiple size="6">{items}</select>'
    if kind in ("textarea", "lines"):
        return f'<textarea {common} rows="{6 if kind == "textarea" else 3}"></textarea>'
    input_type = {"integer": "number", "date": "date", "url": "url"}.get(kind, "text")
    value = f' value="{esc(DEFAULTS[f["name"]])}"' if f["name"] in DEFAULTS and f["path"] == f["name"] else ""
    return f'<input type="{input_type}" {common}{value}>'


def _extra_html(f: dict, ident: str) -> str:
    if f["path"] == "id":
        return (f'<p class="cf-id-check" id="{ident}-check" aria-live="polite">Made from the title as you type it; '
                "you can change it.</p>")
    if f.get("readability"):
        return f'<p class="cf-readability" id="{ident}-grade" aria-live="polite"></p>'
    if f["kind"] == "lines":
        return '<p class="cf-help">One per line.</p>'
    if f["kind"] == "refs":
        return ('<p class="cf-help">Hold Ctrl (or Cmd) to choose more than one. A source that is not listed: '
                'name it in your pull request and an editor adds it.</p>')
    return ""


def _body_html() -> str:
    text = "".join(f"## {heading}\n\n\n" for heading, _ in BODY_SECTIONS)
    prompts = " ".join(f"{heading}: {prompt}" for heading, prompt in BODY_SECTIONS)
    return ('<div class="cf-field" data-kind="body"><label for="cf-body">The story</label>'
            f'<p class="cf-help" id="cf-body-help">In markdown, under these headings. {esc(prompts)} '
            'Cite a source by its key after an @ sign, inside square brackets. No HTML.</p>'
            f'<textarea id="cf-body" rows="14" aria-describedby="cf-body-help">{esc_lines(text)}</textarea></div>')


def _result_html() -> str:
    return ('<section id="cf-result" hidden><h2 id="cf-result-title" tabindex="-1">Your case study file</h2>'
            '<p>Check it, then choose one way on. The file name is <code id="cf-filename"></code>.</p>'
            '<label for="cf-output">The file</label><textarea id="cf-output" rows="16" readonly></textarea>'
            '<p><a id="cf-download" class="md-button" download>Download the file</a> '
            '<button type="button" id="cf-copy" class="md-button">Copy the file</button> '
            '<a id="cf-github" class="md-button" rel="noopener">Propose it on GitHub</a></p>'
            '<p id="cf-message" role="status"></p>'
            '<p class="cf-help">Proposing on GitHub opens GitHub\'s page for a new file with the name and text '
            'filled in; you need a GitHub account, and GitHub asks you to propose the change as a pull request.</p>'
            '</section>')


def fields_page(evidence: Library) -> Page:
    """``contribute/fields.md`` (overrides/partials/coprod/fields.html): every field of every
    record kind, from the schemas."""
    kinds = [{"title": kind.title, "key": kind.key,
              "description": evidence.schemas[kind.key].resolve_root().get("description", ""),
              "rows": [{"name": f.name, "required": f.required_text, "text": _what_to_write(f, evidence)}
                       for f in every_field(evidence.schemas[kind.key])]} for kind in KINDS.values()]
    return html_page(FIELDS, "fields.html", "Field reference", required_note=templates.raw(inline(REQUIRED_NOTE)),
                     kinds=kinds)


def _what_to_write(f: Field, evidence: Library) -> Markup:
    """The field reference's "What to write" about a field (HTML, every value escaped): its
    description, what it may hold, its vocabulary's terms, an example, whether it is private."""
    parts = [esc(f.description)]
    if f.allowed:
        sentence = "; ".join(f.allowed)
        parts.append(esc(sentence[0].upper() + sentence[1:]) + ".")
    vocabulary = f.values.vocabulary
    vocab = evidence.taxonomy.get(vocabulary) if vocabulary else None
    if vocab is not None:
        terms = ", ".join(f"<code>{esc(t.key)}</code>" for t in vocab.terms.values())
        page = evidence.vocabulary_page(vocabulary)
        where = link(urls.href(FIELDS, page), esc(vocab.title)) if page else esc(vocab.title)
        parts.append(f"Terms from {where}: {terms}.")
    if f.examples:
        parts.append(f"For example: <code>{esc(example_text(f).strip())}</code>.")
    if f.private:
        parts.append("<strong>Private</strong>: never shown on the site or in the open data.")
    return templates.raw(" ".join(parts).strip())
