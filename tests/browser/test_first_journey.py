"""What a first-time user meets on a 390-px phone, in English and in Chinese
(issue 14, items 8 to 10): the country and currency of a new case, a shortfall
that cannot read as positive, a chart whose labels can be read, a breadcrumb on
one line, a letter preview as tall as the letter, and the next step first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import PHONE, loaded, page_width, register_and_log_in

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "examples"
LANGS = [("en", "en-GB"), ("zh_CN", "zh-CN")]
IDS = [f"{lang}-390" for lang, _ in LANGS]
#: The smallest text the chart may show, in CSS pixels.
LEGIBLE_PX = 12


def gb_family(rent: str | None = None) -> str:
    case = json.loads((EXAMPLES / "gb-family.json").read_text())
    if rent is not None:
        case["expenses"][0]["amount"] = rent
    for debt in case["debts"]:  # letters need each account's reference (issue 14.1)
        debt["account_ref"] = f"ACC-{debt['id']}"
    return json.dumps(case)


def start(browser, live_server, accept: str, name: str, *, javascript: bool = True):
    context = browser.new_context(viewport=PHONE, locale=accept,
                                  java_script_enabled=javascript)
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: problems.append(r.url)
            if not r.url.startswith((live_server, "data:", "about:")) else None)
    register_and_log_in(page, live_server, f"{name}@example.com")
    return context, page, problems


def import_case(page: Page, base: str, text: str) -> str:
    page.goto(base + "/cases/import")
    page.fill("#text", text)
    page.click("main button[type=submit]")
    expect(page.locator("#summary")).to_be_visible()
    return page.url


def fits_the_phone(page: Page) -> None:
    width = page_width(page)
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"


def broken_amounts(page: Page) -> list[str]:
    """Amounts laid out on more than one line."""
    loaded(page)
    return page.evaluate("""() => [...document.querySelectorAll('main .amount')]
        .filter(el => el.getClientRects().length > 1).map(el => el.textContent)""")


def breadcrumb_on_one_line(page: Page) -> None:
    """Every crumb on the same line, and none of them split over two."""
    loaded(page)
    crumbs = page.locator("nav[aria-label=breadcrumb]")
    boxes = crumbs.evaluate("""el => [...el.querySelectorAll('li')].map(li => {
        const r = li.getBoundingClientRect();
        return [Math.round((r.top + r.bottom) / 2), li.getClientRects().length,
                [...li.querySelectorAll('a')].map(a => a.getClientRects().length)];
    })""")
    middles = [middle for middle, _, _ in boxes]
    assert max(middles) - min(middles) <= 4, f"the breadcrumb wraps: {boxes}"
    assert all(n == 1 and all(k == 1 for k in links) for _, n, links in boxes), boxes
    assert crumbs.evaluate("el => el.scrollWidth <= el.clientWidth + 1")


@pytest.mark.parametrize(("lang", "accept"), LANGS, ids=IDS)
def test_the_currency_follows_the_country_until_the_user_picks_one(browser, live_server, shoot,
                                                                  lang, accept):
    context, page, problems = start(browser, live_server, accept, f"country-{lang}")
    page.goto(live_server + "/cases/new")
    # The browser's region decides: en-GB → the United Kingdom, zh-CN → China.
    home, money = ("GB", "GBP") if lang == "en" else ("CN", "CNY")
    expect(page.locator("#jurisdiction")).to_have_value(home)
    expect(page.locator("#currency")).to_have_value(money)
    page.select_option("#jurisdiction", "US")
    expect(page.locator("#currency")).to_have_value("USD")
    page.select_option("#jurisdiction", "GB")
    expect(page.locator("#currency")).to_have_value("GBP")
    shoot(page, f"journey-01-new-case-{lang}-390")
    # A currency the user picks stays, whatever the country.
    page.select_option("#currency", "EUR")
    page.select_option("#jurisdiction", "CN")
    expect(page.locator("#currency")).to_have_value("EUR")
    page.select_option("#jurisdiction", "GB")
    page.fill("#start_date", "2026-12-01")
    page.click("main button[type=submit]")
    expect(page.locator("hgroup p")).to_contain_text("EUR")
    # A UK case's first payment in the interface's own form.
    expect(page.locator("hgroup p")).to_contain_text(
        "1 Dec 2026" if lang == "en" else "2026年12月1日")
    fits_the_phone(page)
    assert problems == []
    context.close()


@pytest.mark.parametrize(("lang", "accept"), LANGS, ids=IDS)
def test_without_javascript_the_server_moves_the_currency(browser, live_server, lang, accept):
    context, page, problems = start(browser, live_server, accept, f"nojs-{lang}",
                                    javascript=False)
    page.goto(live_server + "/cases/new")
    page.select_option("#jurisdiction", "US")
    # No script ran: the page still shows the suggested currency...
    expect(page.locator("#currency")).to_have_value("GBP" if lang == "en" else "CNY")
    page.click("main button[type=submit]")
    # ...and the server gives the case the country's own.
    expect(page.locator("hgroup p")).to_contain_text("USD")
    assert problems == []
    context.close()


@pytest.mark.parametrize(("lang", "accept"), LANGS, ids=IDS)
def test_a_shortfall_on_a_phone_reads_short_by_on_one_line(browser, live_server, shoot, lang,
                                                          accept):
    context, page, problems = start(browser, live_server, accept, f"deficit-{lang}")
    # Rent 1,267.07 leaves 1,527.07 − 1,543.74 − 35 (energy, priority) = −326.67.
    case_url = import_case(page, live_server, gb_family(rent="1267.07"))
    available = page.locator("[data-figure=available]")
    expect(available).to_have_text("short by £326.67" if lang == "en" else "还差 £326.67")
    assert broken_amounts(page) == []
    shoot(page, f"journey-02-deficit-case-{lang}-390")
    fits_the_phone(page)

    page.goto(case_url + "/plan")
    assert broken_amounts(page) == []
    assert "-£" not in page.inner_text("main")
    breadcrumb_on_one_line(page)
    shoot(page, f"journey-03-deficit-plan-{lang}-390")
    fits_the_phone(page)
    assert problems == []
    context.close()


@pytest.mark.parametrize(("lang", "accept"), LANGS, ids=IDS)
def test_the_chart_reads_on_a_phone_and_the_next_step_leads(browser, live_server, shoot, lang,
                                                           accept):
    context, page, problems = start(browser, live_server, accept, f"chart-{lang}")
    case_url = import_case(page, live_server, gb_family())
    page.goto(case_url + "/plan")
    chart = page.locator(".chart")
    expect(chart.locator("svg polyline").first).to_be_visible()
    loaded(page)
    sizes = chart.evaluate("""chart => {
        const out = [];
        for (const el of chart.querySelectorAll('svg text, .chart-axis > *, .legend li')) {
          if (!el.textContent.trim()) continue;
          let size = parseFloat(getComputedStyle(el).fontSize);
          const svg = el.closest('svg');
          if (svg) size *= svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
          out.push([el.textContent.trim(), size]);
        }
        return out;
    }""")
    assert len(sizes) >= 3
    small = [(text, round(size, 1)) for text, size in sizes if size < LEGIBLE_PX]
    assert small == [], f"labels smaller than {LEGIBLE_PX}px: {small}"
    chart.locator("details summary").click()
    rows = chart.locator("details tbody tr")
    # Every year and the month each option ends, not only months 0 and 12.
    assert rows.count() > 2
    fits_the_phone(page)  # the wide table scrolls in its own box
    shoot(page, f"journey-04-chart-{lang}-390")

    # its contractual payments fit: the plan keeps them, highest interest first (13.1)
    page.locator("#strategy-avalanche form button[type=submit]").click()
    step = page.locator("#proposal a[role=button]")
    expect(step).to_be_visible()
    loaded(page)
    colours = step.evaluate("""a => {
        const primary = document.createElement('button');
        a.parentElement.appendChild(primary);
        const want = getComputedStyle(primary).backgroundColor;
        primary.remove();
        return [getComputedStyle(a).backgroundColor, want];
    }""")
    assert colours[0] == colours[1], f"the next step is not the primary button: {colours}"
    shoot(page, f"journey-05-next-step-{lang}-390")
    fits_the_phone(page)
    assert problems == []
    context.close()


@pytest.mark.parametrize(("lang", "accept"), LANGS, ids=IDS)
def test_the_letter_preview_is_as_tall_as_the_letter(browser, live_server, shoot, lang, accept):
    context, page, problems = start(browser, live_server, accept, f"preview-{lang}")
    case_url = import_case(page, live_server, gb_family())
    page.goto(case_url + "/edit")
    page.fill("#title", "Our household 2027")
    page.click("main details summary")
    page.fill("#borrower_name", "Sam Example")
    page.fill("#borrower_address", "1 High Street\nLeeds LS1 1AA")
    page.click("main form button[type=submit]")
    page.goto(case_url + "/plan")
    # its contractual payments fit: the plan keeps them, highest interest first (13.1)
    page.locator("#strategy-avalanche form button[type=submit]").click()
    page.click("#proposal a[role=button]")
    page.select_option("#language", lang)
    page.click("#generate button[type=submit]")
    shoot(page, f"journey-06-letters-{lang}-390")
    breadcrumb_on_one_line(page)
    page.locator("tr[data-letter] a").first.click()
    breadcrumb_on_one_line(page)
    frame_element = page.locator("#preview iframe")
    expect(page.frame_locator("#preview iframe").locator("h1")).to_be_visible()
    loaded(page)
    letter = next(f for f in page.frames if f.url.endswith("/preview"))
    inner = letter.evaluate("""() => [document.documentElement.scrollWidth,
                                     document.documentElement.scrollHeight]""")
    box = frame_element.evaluate("el => [el.clientWidth, el.clientHeight]")
    assert box[0] <= PHONE["width"] and inner[0] <= box[0], f"letter {inner}, frame {box}"
    # The whole letter shows: the frame is no scroll box that cuts it off.
    assert inner[1] <= box[1] + 1, f"letter {inner}, frame {box}"
    shoot(page, f"journey-07-letter-{lang}-390")

    page.check("input[name=channel][value=post]")
    mark_sent = "#send form[action$='/mark-sent'] button[type=submit]"
    page.locator(mark_sent).scroll_into_view_if_needed()
    page.wait_for_timeout(300)  # see test_letters_journey.click_below_frame
    with page.expect_navigation():
        page.click(mark_sent)
    fingerprint = page.locator("details.fingerprint")
    expect(fingerprint.locator("summary")).to_have_text(
        "A fingerprint that proves this letter was not changed" if lang == "en"
        else "证明这封信未被改动的“指纹”")
    expect(fingerprint.locator("code.digest")).to_be_hidden()
    fingerprint.locator("summary").click()
    expect(fingerprint.locator("code.digest")).to_be_visible()
    shoot(page, f"journey-08-sent-{lang}-390")
    fits_the_phone(page)
    assert problems == []
    page.wait_for_load_state("networkidle")
    context.close()
