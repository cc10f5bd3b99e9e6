"""Nobody meets a dead end: each role lands where its work is, and nothing a page offers ends on a refusal.

For each role the test starts at `/`, follows every link the landing page offers (and every link of the task
pages and case files reached from it), then presses every button of the forms on the landing page, the inbox,
the task pages and the case files. No answer may be 403 (or any error status), and no command may be refused
on rights after all (a refusal told as a flashed message).
"""
from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser
from io import BytesIO

import pytest

from engine import timer_firing
from tests.api.pipeline import accept_and_assess, dispatch, item
from tests.api.pipeline import complete as api_complete
from tests.api.pipeline import register as api_register

LANDINGS = {"center_clerk": "/inbox", "center_head": "/inbox", "labour_clerk": "/inbox", "labour_head": "/inbox",
            "supervisor": "/board", "designer": "/designer/definitions", "admin": "/admin/users"}
NOT_FOLLOWED = ("/logout", "/language", "/static/")
RIGHTS_REFUSALS = ("无权", "须由", "已被他人认领", "只能释放", "不能办理", "不能修改", "不能登记")
WORKING_PAGES = re.compile(r"^/(inbox|tasks/\d+|cases/[\d-]+|notifications)(\?|$)")


class Offered(HTMLParser):
    """The links and the post forms (with what a person would send: defaults, and each submit button) of a page."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._textarea: tuple[str, bool] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and (a.get("href") or "").startswith("/"):
            self.links.append(a["href"])
        elif tag == "form" and (a.get("method") or "get").lower() == "post":
            self._form = {"action": a.get("action"), "fields": {}, "buttons": [], "files": [],
                          "multipart": "multipart" in (a.get("enctype") or "")}
        elif self._form is None or not a.get("name") and tag != "button":
            return
        elif tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a or (kind == "radio" and a["name"] not in self._form["fields"]):
                    self._form["fields"][a["name"]] = a.get("value", "on")
            elif kind == "file":
                self._form["files"].append(a["name"])
            elif kind == "submit":
                self._form["buttons"].append((a.get("name"), a.get("value", "")))
            else:
                value = a.get("value") or ("2026-03-20" if kind == "date" else "测试" if "required" in a else "")
                self._form["fields"][a["name"]] = value
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and (self._select not in self._form["fields"] or "selected" in a):
            self._form["fields"][self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = (a["name"], "required" in a)
        elif tag == "button" and (a.get("type") or "submit") == "submit":
            self._form["buttons"].append((a.get("name"), a.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea and self._form is not None:
            name, required = self._textarea
            self._form["fields"].setdefault(name, "测试" if required else "")
            self._textarea = None


def offered(html: str) -> Offered:
    parser = Offered()
    parser.feed(html)
    return parser


def flashed_errors(html: str) -> list[str]:
    return re.findall(r'<div class="flash flash-error"[^>]*>(.*?)</div>', html, re.S)


@pytest.fixture
def a_day_at_the_centre(api, rt, clock):
    """A late case with a 督办件 for the centre's head, a case at the centre, one dispatched to two departments,
    and an item a colleague holds."""
    late = api_register(api)["case_no"]
    clock.advance(timedelta(days=3))
    timer_firing.fire_due(rt)
    api_register(api, title="刚登记的纠纷")
    dispatched = api_register(api, title="工资拖欠", dispute_type="labour")["case_no"]
    accept_and_assess(api, dispatched, lead="labour", cooperating=("justice_office",))
    api_complete(api, dispatched, "dispatch", "center_head", dispatch())
    held = api_register(api, title="负责人已认领")["case_no"]
    held_item = item(api, held, "review_acceptance", "center_head")
    assert api.post(f"/work-items/{held_item['id']}/claim", as_="center_head").status_code == 200
    notice = item(api, late, "review_acceptance_notice", "center_head")
    assert notice["required_role"] == "head"
    return {"late": late, "dispatched": dispatched, "notice": notice, "held": held_item}


def _submit(staff, form: dict, button: tuple[str | None, str]):
    data = dict(form["fields"])
    if button[0]:
        data[button[0]] = button[1]
    if form["multipart"]:
        for name in form["files"]:
            data[name] = (BytesIO("走访记录".encode()), "记录.txt")
        return staff.post(form["action"], data=data, content_type="multipart/form-data")
    return staff.post(form["action"], data=data)


@pytest.mark.parametrize("user", sorted(LANDINGS))
def test_each_role_lands_on_its_work_and_is_offered_nothing_it_would_be_refused(staff_as, a_day_at_the_centre,
                                                                                 user):
    staff = staff_as(user)
    home = staff.get("/")
    assert home.status_code == 302 and home.location.endswith(LANDINGS[user]), (user, home.location)
    landing = LANDINGS[user]

    # Every link the landing page offers, and every link on the task pages and case files reached from it.
    seen: dict[str, int] = {}
    pages = {landing: staff.get(landing).get_data(as_text=True)}
    queue = [(link, 1) for link in offered(pages[landing]).links]
    while queue:
        link, depth = queue.pop(0)
        if link in seen or link.startswith(NOT_FOLLOWED):
            continue
        response = staff.get(link)
        seen[link] = response.status_code
        assert response.status_code in (200, 302), (user, link, response.status_code)
        if response.status_code == 200 and response.mimetype == "text/html":
            pages[link] = response.get_data(as_text=True)
            if depth < 3 and (depth == 1 or WORKING_PAGES.match(link)):
                queue += [(next_link, depth + 1) for next_link in offered(pages[link]).links]
    assert len(seen) > 3

    # Every button of the forms on the landing page and the working pages, pressed as offered at that moment.
    pressed = 0
    for page in [landing, *sorted(p for p in pages if WORKING_PAGES.match(p) and p != landing)]:
        for form in offered(pages[page]).forms:
            if form["action"].startswith(NOT_FOLLOWED):
                continue
            for button in form["buttons"] or [(None, "")]:
                current = staff.get(page)
                if current.status_code != 200:
                    continue
                still = [f for f in offered(current.get_data(as_text=True)).forms if f["action"] == form["action"]]
                if not still:
                    continue  # an earlier press changed what the page offers (the item was claimed, completed)
                answer = _submit(staff, still[0], button)
                pressed += 1
                assert answer.status_code not in (403, 404, 500), (user, page, form["action"], button)
                shown = staff.get(answer.location) if answer.status_code == 302 else answer
                refusals = [e for e in flashed_errors(shown.get_data(as_text=True))
                            if any(word in e for word in RIGHTS_REFUSALS)]
                assert not refusals, (user, page, form["action"], button, refusals)
    if user not in ("supervisor",):
        assert pressed, user


def test_head_only_items_are_left_to_the_head(staff_as, a_day_at_the_centre):
    notice, held = a_day_at_the_centre["notice"], a_day_at_the_centre["held"]
    clerk_inbox = staff_as("center_clerk").get("/inbox").get_data(as_text=True)
    # an inbox lists only what its reader may open: the head's item is not in the clerk's
    assert f'data-item-id="{notice["id"]}"' not in clerk_inbox
    assert staff_as("center_clerk").get(f"/tasks/{notice['id']}").status_code == 403
    held_row = re.search(rf'<tr [^>]*data-item-id="{held["id"]}".*?</tr>', clerk_inbox, re.S).group(0)
    assert 'data-action="claim"' not in held_row and 'data-action="release"' not in held_row
    # the colleague's item opens, but its form is not offered to the clerk
    task = staff_as("center_clerk").get(f"/tasks/{held['id']}").get_data(as_text=True)
    assert 'data-action="complete"' not in task and 'data-testid="held-by-colleague"' in task

    head_inbox = staff_as("center_head").get("/inbox").get_data(as_text=True)
    row = re.search(rf'<tr [^>]*data-item-id="{notice["id"]}".*?</tr>', head_inbox, re.S).group(0)
    assert "须负责人办理" in row and f'href="/tasks/{notice["id"]}"' in row and 'data-action="claim"' in row


def test_a_head_only_item_is_handed_only_to_someone_who_may_do_it(staff_as, api, a_day_at_the_centre):
    notice = a_day_at_the_centre["notice"]
    head_inbox = staff_as("center_head").get("/inbox").get_data(as_text=True)
    row = re.search(rf'<tr [^>]*data-item-id="{notice["id"]}".*?</tr>', head_inbox, re.S).group(0)
    assert 'value="center_clerk"' not in row and 'value="center_head"' in row
    refused = api.post(f"/work-items/{notice['id']}/reassign", as_="center_head", json={"assignee": "center_clerk"})
    assert refused.status_code == 400 and "assignee" in refused.json["fields"]


def test_a_designer_is_offered_no_case_work(staff_as, a_day_at_the_centre):
    designer = staff_as("designer")
    page = designer.get("/inbox").get_data(as_text=True)
    assert 'data-action="claim"' not in page and 'href="/tasks/' not in page
    case = designer.get(f"/cases/{a_day_at_the_centre['late']}").get_data(as_text=True)
    assert "/comments" not in case and "/attachments\"" not in case and 'href="/tasks/' not in case
    header = designer.get("/designer/definitions").get_data(as_text=True)
    assert 'href="/intake"' not in header and 'href="/inbox"' not in header
