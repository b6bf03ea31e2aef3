"""The distribution: a built wheel carries the templates, migrations and assets,
and installs the ``parley`` console script."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out),
                    str(ROOT)], check=True, capture_output=True)
    [built] = out.glob("parley-*.whl")
    return built


def test_the_wheel_carries_every_template_and_asset(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for template in (ROOT / "templates").rglob("*.html"):
        rel = template.relative_to(ROOT / "templates").as_posix()
        assert f"webapp/_templates/{rel}" in names, rel
    assert "webapp/static/vendor/pico/pico.min.css" in names
    assert any(n.startswith("webapp/migrations/versions/0001") for n in names)
    assert "webapp/migrations/env.py" in names
    assert "webapp/data/common-passwords.txt" in names  # the password policy's list
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "parley = webapp.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_an_installed_wheel_serves_pages_from_its_own_templates(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(target), str(wheel)], check=True, capture_output=True)
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "import webapp, webapp.paths as p;"
        "assert webapp.__file__.startswith(sys.argv[1]), webapp.__file__;"
        "print(p.templates_dir());"
        "app = webapp.create_app({'TESTING': True, 'SECRET_KEY': 'x',"
        " 'SQLALCHEMY_DATABASE_URI': 'sqlite://'});"
        "print(app.test_client().get('/auth/login').status_code)"
    )
    # Run outside the checkout so the repo's own templates/ cannot be found.
    result = subprocess.run([sys.executable, "-c", code, str(target)], cwd=tmp_path,
                            capture_output=True, text=True, env={"PATH": "/usr/bin:/bin",
                                                                 "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    templates, status = result.stdout.split()
    assert templates.endswith("webapp/_templates") and status == "200"
