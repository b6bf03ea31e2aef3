"""Security headers on every response (and HSTS in production).

The CSP allows no inline script and no third-party host: every asset is
vendored and served from ``/static``.
"""

from __future__ import annotations

from flask import Flask, Response, request

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def init_app(app: Flask) -> None:
    hsts = int(app.config.get("HSTS_SECONDS") or 0)
    defaults = [
        ("Content-Security-Policy", CSP),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "same-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ]
    if hsts:  # production only (PARLEY_ENV=production): HTTPS from now on
        defaults.append(("Strict-Transport-Security", f"max-age={hsts}; includeSubDomains"))
    # Pages show debts, incomes and addresses: never keep them in a shared cache.
    pages = [*defaults, ("Cache-Control", "no-store")]
    # what a page gets (fast_pages answers cached pages with these, outside Flask)
    app.extensions["page_headers"] = tuple(pages)

    @app.after_request
    def set_headers(response: Response) -> Response:
        h = response.headers
        # One pass over the headers a view set (a preview sets its own CSP), not
        # one per default: this runs on every answer.
        present = {key.lower() for key, _value in h.items()}
        wanted = defaults if request.path.startswith("/static/") else pages
        h.extend([(k, v) for k, v in wanted if k.lower() not in present])
        return response
