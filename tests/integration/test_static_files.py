"""Static files are answered from memory: no file handle is left open for the
garbage collector when a browser drops the connection (see webapp/static_files.py)."""

import pytest


def test_a_static_file_is_served_with_its_type_and_cache_headers(client):
    response = client.get("/static/css/parley.css")
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    assert response.headers["ETag"] and response.headers["Last-Modified"]
    assert b".late" in response.data
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_a_conditional_request_gets_304(client):
    etag = client.get("/static/favicon.svg").headers["ETag"]
    again = client.get("/static/favicon.svg", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""


def test_a_range_request_gets_the_range(client):
    response = client.get("/static/favicon.svg", headers={"Range": "bytes=0-9"})
    assert response.status_code == 206 and len(response.data) == 10


@pytest.mark.parametrize("path", ["../webapp/__init__.py", "..%2f__init__.py", "nope.css",
                                  "css/"])
def test_nothing_outside_the_static_folder_or_missing(client, path):
    assert client.get(f"/static/{path}").status_code == 404


def test_the_response_holds_no_open_file(app):
    """The body is in memory: nothing for the garbage collector to close."""
    with app.test_request_context("/static/favicon.svg"):
        response = app.view_functions["static"]("favicon.svg")
        response.direct_passthrough = False
        body = response.get_data()
    assert body.startswith(b"<svg") or b"<svg" in body
    assert not hasattr(response.response, "fileno")
