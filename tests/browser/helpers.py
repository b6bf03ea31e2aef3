"""Shared values and checks for the browser tests."""

from pathlib import Path

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
#: WCAG 2.1 A and AA, and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def axe_violations(page) -> list[str]:
    """Run axe-core on the page as it is; one line per violation and element.

    axe is evaluated through the DevTools protocol, which the page's CSP (no
    injected script) does not govern, so pages are checked exactly as served.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [f"{v['id']}: {v['help']} at {n['target']}"
            for v in result["violations"] for n in v["nodes"]]


def assert_accessible(page) -> None:
    found = axe_violations(page)
    assert found == [], "\n".join(found)
