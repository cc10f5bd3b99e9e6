"""Small things every page carries: the icon browsers ask for, and the skip link to the page's content."""
from __future__ import annotations

import re


def test_the_favicon_is_served_without_signing_in(staff_as):
    anonymous = staff_as(None)
    icon = anonymous.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype == "image/vnd.microsoft.icon" and icon.data[:4] == b"\0\0\1\0"
    page = anonymous.get("/login").get_data(as_text=True)
    linked = re.search(r'<link rel="icon" href="([^"]+)"', page).group(1)
    assert anonymous.get(linked).status_code == 200


def test_every_page_starts_with_a_skip_link_to_its_main_content(staff_as):
    for who, path in ((None, "/login"), ("center_clerk", "/inbox"), ("supervisor", "/board")):
        html = staff_as(who).get(path).get_data(as_text=True)
        body = html.split("<body>", 1)[1]
        first = re.search(r"<(a|button|input|select|textarea)\b[^>]*>", body).group(0)
        assert 'href="#main"' in first and 'data-testid="skip-link"' in first, (path, first)
        assert '<main class="container-fluid" id="main" tabindex="-1">' in html
    english = staff_as("center_clerk", "en").get("/inbox").get_data(as_text=True)
    assert "Skip to main content" in english
