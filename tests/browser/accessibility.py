"""axe-core in the page: the vendored copy is evaluated through the DevTools protocol, which the
page's Content Security Policy does not govern, so the app's CSP stays as strict as in production."""

from __future__ import annotations

from pathlib import Path

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()
BLOCKING = ("critical", "serious")


def axe_violations(page, impacts=BLOCKING) -> list[dict]:
    """The violations of WCAG 2.x A/AA and best-practice rules on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    result = page.evaluate("""async () => await axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']},
        resultTypes: ['violations']})""")
    return [v for v in result["violations"] if v["impact"] in impacts]


def describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['impact']}: {v['id']} ({v['help']}) at " + ", ".join(n["target"][0] for n in v["nodes"][:3])
                     for v in violations)
