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

    @app.after_request
    def set_headers(response: Response) -> Response:
        h = response.headers
        h.setdefault("Content-Security-Policy", CSP)
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("X-Frame-Options", "DENY")
        h.setdefault("Referrer-Policy", "same-origin")
        h.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if hsts:  # production only (PARLEY_ENV=production): HTTPS from now on
            h.setdefault("Strict-Transport-Security", f"max-age={hsts}; includeSubDomains")
        # Pages show debts, incomes and addresses: never keep them in a shared cache.
        if not request.path.startswith("/static/"):
            h.setdefault("Cache-Control", "no-store")
        return response
