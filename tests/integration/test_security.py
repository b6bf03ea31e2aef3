import re

from tests.factories import make_case


def test_every_form_needs_a_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    response = client.post("/auth/register", data={
        "email": "x@example.com", "password": "long enough pw", "confirm": "long enough pw",
        "role": "borrower"})
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)


def test_a_form_with_its_token_goes_through(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    page = client.get("/auth/register").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/auth/register", data={
        "csrf_token": token, "email": "x@example.com", "password": "long enough pw",
        "confirm": "long enough pw", "role": "borrower"})
    assert response.status_code == 302


def test_pages_send_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


def test_session_cookie_is_httponly_and_samesite_lax(client, auth):
    response = auth.register()
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_pages_have_no_inline_script_and_no_third_party_host(client, auth):
    auth.register()
    case_url = make_case(client)
    for url in ["/", case_url, "/cases/new", f"{case_url}/debts/new", "/auth/password"]:
        html = client.get(url).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), url
        assert '="None"' not in html, url


def test_a_case_is_invisible_to_other_users(app, client, auth):
    auth.register()
    case_url = make_case(client)
    auth.logout()
    auth.register(email="intruder@example.com")
    for url in [case_url, f"{case_url}/edit", f"{case_url}/export", f"{case_url}/plan",
                f"{case_url}/debts/new", f"{case_url}/income/new"]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"{case_url}/delete").status_code == 404
    assert client.post(f"{case_url}/debts/new", data={"creditor": "x"}).status_code == 404


def test_pages_need_login(client):
    response = client.get("/cases/new")
    assert response.status_code == 302
    assert response.location.startswith("/auth/login")
