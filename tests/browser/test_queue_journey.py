"""On a phone, in English and Chinese: what the queue's pages say while work
waits for ``parley worker`` (a letter's e-mail on its way, the evidence PDF being
printed) and when an e-mail's worker died with the mail server (the user is
asked instead of Parley sending twice); axe-core on each screenshot."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.helpers import PHONE, page_width
from tests.integration.test_mail_safety import ACCOUNT, CREDITOR, PASSWORD, card_url, make_world
from tests.smtp_support import free_port
from tests.worker_support import REDIS_URL, delete_queue, queue_name, redis_or_skip
from webapp.extensions import db
from webapp.models import Letter, SentMail, User


@pytest.fixture
def app(make_app):
    """Jobs go to a queue no worker reads: the pages stay at "waiting"."""
    redis_or_skip()
    name = queue_name()
    yield make_app(JOBS_BACKEND="rq", REDIS_URL=REDIS_URL, JOBS_QUEUE=name,
                   MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(),
                   MAIL_FROM="letters@parley.example")
    delete_queue(name)


def _mail(app, url: str, outcome: str) -> None:
    with app.app_context():
        letter = db.session.scalar(select(Letter).where(
            Letter.public_id == url.rsplit("/", 1)[1]))
        user = db.session.scalar(select(User).where(User.email == ACCOUNT))
        db.session.add(SentMail(user_id=user.id, case_id=letter.case_id, letter_id=letter.id,
                                recipient=CREDITOR, cc=ACCOUNT, outcome=outcome))
        db.session.commit()


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_the_pages_while_the_queue_works(browser, live_server, shoot, app, locale):
    world = make_world(app.test_client(), app)
    url = card_url(app, world)
    context = browser.new_context(viewport=PHONE, locale=locale)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(live_server + "/auth/login")
    page.fill("#email", ACCOUNT)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    zh = locale == "zh-CN"
    if zh:  # the account was made in English: switch, as a user would
        page.click("button[name=lang][value=zh_CN]")

    page.goto(live_server + world["case"] + "/contacts/evidence.pdf")
    expect(page.locator("[role=status]")).to_contain_text(
        "正在生成 PDF" if zh else "Preparing your PDF")
    assert page_width(page) <= PHONE["width"]
    shoot(page, f"60-evidence-pdf-waiting-{locale}-390")

    _mail(app, url, "uncertain")
    page.goto(live_server + url + "#send")
    alert = page.locator("#mail-uncertain")
    expect(alert).to_contain_text("可能已经" if zh else "may have e-mailed this letter")
    expect(alert.get_by_role("button")).to_have_text("重新发送" if zh else "Send it again")
    assert page_width(page) <= PHONE["width"]
    shoot(page, f"61-letter-mail-uncertain-{locale}-390")

    _mail(app, url, "queued")  # the user sent it again: waiting for the worker
    page.reload()
    expect(page.locator("#send [role=status]")).to_contain_text(CREDITOR)
    assert page_width(page) <= PHONE["width"]
    shoot(page, f"62-letter-mail-queued-{locale}-390")
    context.close()
