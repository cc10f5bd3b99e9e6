"""Sign-in, sessions, CSRF and cookie flags, as a browser meets them."""
from __future__ import annotations

from datetime import timedelta

from engine import users


def test_staff_sign_in_and_land_on_their_inbox(staff_as):
    clerk = staff_as(None)
    response = clerk.sign_in("police_clerk")
    assert response.status_code == 302 and response.location.endswith("/inbox")
    page = clerk.get("/inbox").get_data(as_text=True)
    assert "派出所" in page and "待办事项" in page


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(staff_as):
    response = staff_as(None).sign_in("police_clerk", "not-the-password")
    assert response.status_code == 401
    assert "用户名或密码错误" in response.get_data(as_text=True)


def test_pages_send_strangers_to_the_sign_in_page(staff_as, register):
    case = register()
    stranger = staff_as(None)
    for path in ("/inbox", f"/cases/{case.case_no}", "/intake", "/admin/users"):
        response = stranger.get(path)
        assert response.status_code == 302 and "/login" in response.location, path


def test_sign_in_is_rate_limited_per_username(staff_as, clock):
    client = staff_as(None)
    for _ in range(5):
        assert client.sign_in("labour_clerk", "wrong-guess").status_code == 401
    blocked = client.sign_in("labour_clerk")  # even the right password waits now
    assert blocked.status_code == 429
    assert "15" in blocked.get_data(as_text=True)
    clock.advance(timedelta(minutes=16))
    assert client.sign_in("labour_clerk").status_code == 302


def test_a_form_without_the_csrf_token_is_refused(staff_as, register):
    case = register()
    clerk = staff_as("center_clerk")
    item = case.open_items[0]
    response = clerk.client.post(f"/inbox/items/{item.id}/claim", data={})
    assert response.status_code == 400
    assert "表单已过期" in response.get_data(as_text=True)
    forged = clerk.client.post(f"/inbox/items/{item.id}/claim", data={"csrf_token": "forged"})
    assert forged.status_code == 400
    assert clerk.get("/inbox?scope=mine").get_data(as_text=True).count('data-item-id="') == 0


def test_session_cookie_is_http_only_and_same_site(staff_as):
    client = staff_as(None)
    client.refresh_token("/login")
    response = client.client.post("/login", data={"username": "police_clerk", "password": "test-password-1",
                                                  "csrf_token": client.csrf})
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_secure_cookie_flag_can_be_switched_on(rt, database_url, clock):
    from web import create_app
    app = create_app({"DATABASE_URL": database_url, "CLOCK": clock, "SCHEDULER_ENABLED": False,
                      "SECRET_KEY": "tests", "SESSION_COOKIE_SECURE": True})
    client = app.test_client()
    client.get("/login", base_url="https://localhost")
    response = client.get("/login", base_url="https://localhost")
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "Secure" in cookie


def test_after_sign_in_only_local_paths_are_followed(staff_as):
    client = staff_as(None)
    client.refresh_token("/login")
    response = client.client.post("/login?next=https://evil.example/steal",
                                  data={"username": "police_clerk", "password": "test-password-1",
                                        "csrf_token": client.csrf})
    assert response.status_code == 302 and response.location == "/inbox"


def test_a_password_reset_ends_open_sessions(staff_as, rt, who):
    clerk = staff_as("court_clerk")
    assert clerk.get("/inbox").status_code == 200
    user_id = who("court_clerk").id
    users.reset_password(rt, user_id, "a-new-password", who("admin"))
    assert clerk.get("/inbox").status_code == 302
    assert staff_as(None).sign_in("court_clerk", "a-new-password").status_code == 302
    users.reset_password(rt, user_id, "test-password-1", who("admin"))


def test_sign_out_needs_a_post_and_ends_the_session(staff_as):
    clerk = staff_as("police_clerk")
    assert clerk.get("/logout").status_code == 405
    assert clerk.post("/logout").status_code == 302
    assert clerk.get("/inbox").status_code == 302


def test_pages_carry_a_content_security_policy_without_outside_hosts(staff_as):
    response = staff_as("police_clerk").get("/inbox")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "http" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"
