"""A page's form posted with NUL bytes is answered with a 400 page naming the field, on either database."""
from __future__ import annotations


def test_a_nul_in_the_sign_in_form_gets_a_400_page(staff_as):
    visitor = staff_as(None)
    visitor.refresh_token("/login")
    response = visitor.post("/login", data={"username": "center_clerk\x00", "password": "x"})
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert "username" in response.get_data(as_text=True)


def test_a_nul_in_a_comment_gets_a_400_page_and_nothing_is_added(staff_as, register):
    case_no = register().case_no
    clerk = staff_as("center_clerk")
    response = clerk.post(f"/cases/{case_no}/comments", data={"text": "看过\x00了"})
    assert response.status_code == 400 and "text" in response.get_data(as_text=True)
    page = clerk.get(f"/cases/{case_no}").get_data(as_text=True)
    assert "看过" not in page


def test_a_nul_in_a_page_query_gets_a_400_page(staff_as):
    response = staff_as("supervisor").get("/inbox?q=%00")
    assert response.status_code == 400 and response.mimetype == "text/html"


def test_page_numbers_and_ids_that_are_no_numbers_a_column_holds_are_ignored(staff_as):
    supervisor = staff_as("supervisor")
    for page in ("²", "99999999999999999999", str(2**31), "-1", "1e9"):
        assert supervisor.get(f"/inbox?page={page}").status_code == 200
        assert supervisor.get(f"/board/departments/police?page={page}").status_code in (200, 404)
    for number in ("²", "99999999999999999999"):
        assert supervisor.post("/notifications/read", data={"id": number}).status_code in (200, 302)
