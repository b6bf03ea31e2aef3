"""The domain is pure: importing it loads neither Flask nor SQLAlchemy."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# ``webapp/__init__.py`` builds the Flask app, so the ``webapp`` package is
# stood in for by a bare module: what is checked is what ``webapp.domain``
# itself pulls in.
SCRIPT = f"""
import importlib, pkgutil, sys, types
pkg = types.ModuleType("webapp")
pkg.__path__ = [{str(ROOT / "webapp")!r}]
sys.modules["webapp"] = pkg
import webapp.domain as domain
names = [m.name for m in pkgutil.walk_packages(domain.__path__, "webapp.domain.")]
for name in names:
    importlib.import_module(name)
bad = sorted(m for m in sys.modules
             if m.split(".")[0] in ("flask", "sqlalchemy", "flask_sqlalchemy", "werkzeug")
             or m.startswith("flask_"))
print(len(names), ",".join(bad))
"""


def test_importing_every_domain_module_loads_no_web_or_database_framework():
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True)
    count, bad = (
        out.stdout.strip().split(" ") if " " in out.stdout.strip() else (out.stdout.strip(), "")
    )
    assert int(count) >= 10
    assert bad == ""


def test_the_domain_never_asks_for_today():
    for path in (ROOT / "webapp" / "domain").rglob("*.py"):
        text = path.read_text()
        assert "date.today(" not in text and "datetime.now(" not in text, path
