"""Every page a user can reach renders in Chinese and in English with no string left in the other language.

Text a person typed (names, facts, comments, file names) is marked `user-content` in the templates and
stays as typed; the language switch names each language in itself (`lang` attribute). Everything else
must be in the page's language.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from io import BytesIO

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tests.api.pipeline import accept_and_assess, dispatch
from tests.api.pipeline import complete as api_complete
from web.content_strings import CJK, content_texts
from web.i18n import CATALOGUES

ROOT = CATALOGUES.parent.parent
SKIP_TAGS = {"script", "style", "code", "template", "title"}  # <title> repeats the heading, with user data
ATTRIBUTES = ("placeholder", "title", "aria-label", "data-loading", "data-error", "alt")
# Words that are the same in both languages: product and format names, units.
SAME_IN_BOTH = {"API", "BPMN", "DMN", "PDF", "Word", "Excel", "MP3", "KB", "MB", "bpmn", "io", "Camunda", "Modeler",
                "YYYY", "MM", "DD", "SMS", "JSON"}


class VisibleText(HTMLParser):
    """Text nodes and user-facing attributes, except inside user content, other-language or code elements."""

    VOID = {"input", "br", "img", "meta", "link", "hr", "source", "col", "area", "base", "wbr"}

    def __init__(self, page_lang: str):
        super().__init__()
        self.page_lang = page_lang
        self.stack: list[bool] = []  # True where the element's content is exempt
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        exempt = (bool(self.stack and self.stack[-1]) or tag in SKIP_TAGS
                  or "user-content" in (attrs.get("class") or "").split()
                  or (attrs.get("lang") not in (None, self.page_lang)))
        if not exempt:
            self.texts += [attrs[a] for a in ATTRIBUTES if attrs.get(a)]
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.texts.append(attrs["value"])
        if tag not in self.VOID:
            self.stack.append(exempt)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]) and data.strip():
            self.texts.append(data.strip())


def visible_texts(html: str) -> list[str]:
    lang = re.search(r'<html lang="([^"]+)"', html).group(1)
    parser = VisibleText(lang)
    parser.feed(html)
    return parser.texts


def untranslated(html: str, language: str) -> list[str]:
    texts = visible_texts(html)
    if language == "en":
        return [t for t in texts if CJK.search(t)]
    # identifiers (process keys, file names) and acronyms (PDF, MP3) read the same in both languages
    words = [(t, w) for t in texts for w in re.findall(r"[A-Za-z][A-Za-z0-9_.\-]+", t)
             if not re.search(r"[_.]|^[A-Z0-9]+$", w)]
    return sorted({t for t, w in words if w not in SAME_IN_BOTH})


@pytest.fixture
def cases_at_every_page(register, api, rt, who):
    """A case at the centre, one being resolved by departments, one refused at intake; one item each role works."""
    from engine.casefile import records as case_records
    at_centre = register()
    case_records.add_comment(rt, at_centre.case_no, "已电话联系申请人", who("center_clerk"))
    case_records.add_attachment(rt, at_centre.case_no, "照片.png", b"\x89PNG\r\n\x1a\n0000", who("center_clerk"))
    dispatched = register(title="工资拖欠", dispute_type="labour")
    accept_and_assess(api, dispatched.case_no, lead="labour", cooperating=("justice_office",))
    api_complete(api, dispatched.case_no, "dispatch", "center_head", dispatch())
    refused = register(title="不属受理范围")
    api_complete(api, refused.case_no, "review_acceptance", "center_clerk",
                 {"accepted": False, "not_accepted_reason": "应向法院起诉", "advised_channel": "litigation"})
    return at_centre, dispatched, refused


def pages_for(user: str, staff, cases) -> list[str]:
    at_centre, dispatched, refused = cases
    client = staff.client
    pages = ["/inbox", "/inbox?scope=mine", "/inbox?scope=unclaimed", "/intake", "/notifications",
             "/notifications?show=unread"]
    inbox = client.get("/inbox").get_data(as_text=True)
    pages += sorted(set(re.findall(r'href="(/tasks/\d+)"', inbox)))
    pages += sorted(set(re.findall(r'href="(/cases/[\d-]+)"', inbox)))
    if user in ("center_clerk", "admin"):
        pages += [f"/cases/{c.case_no}" for c in cases]
    if user in ("admin", "designer"):
        pages += ["/designer/definitions", "/designer/groups", "/designer/studio/dispute_resolution"]
    if user == "admin":
        pages += ["/admin/users", "/admin/templates", "/admin/incidents", "/admin/incidents?state=all",
                  f"/admin/cases/{at_centre.case_no}/repair"]
        users_page = client.get("/admin/users").get_data(as_text=True)
        pages.append(re.search(r'href="(/admin/users/\d+)"', users_page).group(1))
    pages.append("/board")  # refused (403) to all but the centre's supervisors, heads and admins
    if user in ("center_head", "supervisor", "admin"):
        pages += ["/board?from=2026-02-30", "/board/departments/center?show=all",
                  "/board/departments/labour?show=all", "/board/departments/justice_office?show=overdue",
                  "/board/warnings", "/board/warnings?kind=repeat"]
        warnings = client.get("/board/warnings").get_data(as_text=True)  # the cases share their parties
        opened = sorted(set(re.findall(r'href="(/board/warnings/\d+)"', warnings)))
        assert opened, "the repeated parties raised no warning"
        pages += opened[:3]
    pages.append("/stats")  # refused (403) to clerks and designers; a department head gets their department
    if user in ("center_head", "justice_office_head", "supervisor", "admin"):
        pages += ["/stats?from=2026-02-30", "/stats/cases?figure=registered", "/stats/cases?figure=stage.intake.late"]
    if user in ("center_head", "supervisor", "admin"):
        pages += ["/stats/reports"]
    pages += ["/no-such-page", f"/cases/{dispatched.case_no}0"]
    return list(dict.fromkeys(pages))


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_page_is_entirely_in_the_chosen_language(staff_as, cases_at_every_page, language):
    checked = 0
    problems: dict[str, list[str]] = {}
    anonymous = staff_as(None, language)
    for path in ("/login",):
        found = untranslated(anonymous.get(path).get_data(as_text=True), language)
        if found:
            problems[f"anonymous {path}"] = found
        checked += 1
    for user in ("center_clerk", "center_head", "labour_clerk", "justice_office_head", "supervisor", "admin",
                 "designer"):
        staff = staff_as(user, language)
        for path in pages_for(user, staff, cases_at_every_page):
            response = staff.get(path)
            assert response.status_code in (200, 403, 404), (user, path, response.status_code)
            html = response.get_data(as_text=True)
            assert f'<html lang="{"zh-CN" if language == "zh" else "en"}"' in html
            found = untranslated(html, language)
            if found:
                problems[f"{user} {path}"] = found
            checked += 1
    assert checked > 25
    assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())


def test_the_chinese_catalogue_translates_every_interface_string():
    catalogue = read_po(open(CATALOGUES / "zh" / "LC_MESSAGES" / "messages.po", "rb"), locale="zh")
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue if m.id and m.string}
    method_map = [("web/**.py", "python"), ("web/templates/**.html", "jinja2")]
    extracted = {(message if isinstance(message, str) else message[0])
                 for _file, _line, message, _comments, _context in
                 extract_from_dir(str(ROOT), method_map, keywords={"_": None, "gettext": None, "_l": None,
                                                                  "lazy_gettext": None,
                                                                  "ngettext": (1, 2)})}
    assert extracted and not sorted(extracted - translated)


def test_the_english_catalogue_covers_every_diagram_and_form_text():
    catalogue = read_po(BytesIO((CATALOGUES / "en" / "LC_MESSAGES" / "messages.po").read_bytes()), locale="en")
    translated = {m.id for m in catalogue if m.id and m.string}
    assert not sorted(content_texts() - translated)


