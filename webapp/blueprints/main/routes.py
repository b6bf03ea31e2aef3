"""Home page, language switch and health check."""

from flask import current_app, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import text

from ...extensions import db
from ...models import Role
from ...redirects import safe_target
from ...services import accounts
from ...services.access import cases_for, granted_cases_for
from . import bp

#: Clients' cases on a counselor's home page (the latest changed).
HOME_CLIENT_CASES = 20


@bp.get("/")
def index():
    if current_user.is_authenticated:
        # Counselors also see the clients' cases they were let into (live grants
        # only): the latest few; the caseload lists them all, a page at a time.
        granted = (granted_cases_for(current_user, limit=HOME_CLIENT_CASES)
                   if current_user.role == Role.COUNSELOR else [])
        return render_template("main/dashboard.html", cases=cases_for(current_user),
                               granted=granted)
    return render_template("main/welcome.html")


@bp.post("/language")
def set_language():
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            accounts.set_locale(current_user, lang)
    # Only ever redirect within the site.
    return redirect(safe_target(request.form.get("next"), url_for("main.index")))


@bp.get("/healthz")
def health():
    """Alive: the process answers and its database connection works."""
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}


@bp.get("/readyz")
def ready():
    """Ready for traffic: the database, every Redis this node is configured to
    use (queue, rate limits) and an S3 upload store answer. 503 naming what does
    not, for the proxy to stop sending requests here; never the URLs or the
    errors' text."""
    from ...services.readiness import checks

    results = checks(current_app.config)
    ok = all(results.values())
    body = {"status": "ready" if ok else "not ready",
            "checks": {name: "ok" if good else "failed" for name, good in results.items()}}
    return body, 200 if ok else 503
