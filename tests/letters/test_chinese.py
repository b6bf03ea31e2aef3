"""Chinese law and Chinese letters as an adviser would sign them (issue 13, items 7 and 9).

Each check reads the text of the rendered HTML and, where it matters on paper,
of the PDF too.
"""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from tests.letters.support import TODAY, load_raw
from webapp.domain.casefile import dump_case, parse_case
from webapp.domain.errors import ValidationError
from webapp.domain.identity import mask
from webapp.domain.plan import make_plan
from webapp.letters import CATALOGUE, render_bundle, render_letter, render_pdf

#: A resident ID number with a correct check digit (GB 11643-1999).
ID_NUMBER = "110105199001011232"
GBT = "《互联网金融 个人网络消费信贷 贷后催收风控指引》（GB/T 45251-2025）"


def text_of(html: str) -> str:
    """The visible text of a letter: tags and whitespace removed."""
    body = html.split("</style>", 1)[-1]
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", body))


def pdf_text(html: str) -> str:
    reader = PdfReader(io.BytesIO(render_pdf(html)))
    return re.sub(r"\s+", "", "".join(p.extract_text() or "" for p in reader.pages))


@pytest.fixture(scope="module")
def cn():
    raw = load_raw("cn-credit-cards")
    raw["borrower"]["id_number"] = ID_NUMBER
    case = parse_case(raw)
    return case, make_plan(case)


def letter(cn, debt_id, key, lang="zh_CN", **extras) -> str:
    case, plan = cn
    strategy = CATALOGUE[key].strategy
    return render_letter(case, debt_id, key, lang, today=TODAY, plan=plan, strategy=strategy,
                         extras=extras)


# --- 13.7: the law must fit the party ---------------------------------------------


def test_a_personalised_instalment_letter_goes_only_to_a_credit_card(cn):
    case, plan = cn
    with pytest.raises(ValidationError) as caught:
        letter(cn, "wld", "cn_instalment")
    assert [e.path for e in caught.value.errors] == ["debt"]
    assert "credit_card" in caught.value.errors[0].message
    files = render_bundle(case, "cn_instalment", "zh_CN", today=TODAY, fmt="html", plan=plan)
    assert sorted(files) == ["budget-statement.html", "icbc.html", "pab.html", "wld.html"]
    weilidai = text_of(files["wld.html"].decode())
    # 微粒贷 gets an ordinary proposal carrying the same (term-extension) offer
    assert "还款方案申请" in weilidai
    for card_only in ("个性化分期", "第七十条", "信用卡", "年费"):
        assert card_only not in weilidai
    assert "个性化分期还款申请" in text_of(files["icbc.html"].decode())


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_collection_rules_are_cited_from_gb_t_45251_2025(cn, lang):
    html = letter(cn, "wld", "contact_restrictions", lang)
    text = text_of(html)
    assert "GB/T45251-2025" in text
    assert "《互联网金融个人网络消费信贷贷后催收风控指引》" in text
    assert "NIFA" not in text and "互联网金融协会" not in text and "2024" not in text
    # an online loan is no credit card: the Measures for card business are not cited
    assert "第六十八条" not in text and "Article68" not in text
    assert "GB/T45251-2025" in pdf_text(html)
    card = text_of(letter(cn, "icbc", "contact_restrictions", lang))
    assert ("第六十八条" in card or "Article68" in card) and "GB/T45251-2025" in card


def test_the_chinese_contact_letter_counts_calls_with_the_lenders_agents(cn):
    text = text_of(letter(cn, "icbc", "contact_restrictions"))
    assert "不得在22:00至次日8:00之间催收" in text
    assert "贵行及贵行委托的催收机构每日与本人接通的催收电话合计不得超过3次" in text
    assert GBT.replace(" ", "") in text


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_a_card_dispute_cites_article_69_beside_article_68(cn, lang):
    html = letter(cn, "icbc", "prove_debt", lang)
    text = text_of(html)
    if lang == "zh_CN":
        assert "《商业银行信用卡业务监督管理办法》第六十九条的规定" in text
        assert "第六十八条" in text
        assert text.index("第六十九条") < text.index("第六十八条")
        assert "第六十九条" in pdf_text(html)
    else:
        assert "Article69" in text and "Article68" in text
        assert "Article69" in pdf_text(html)


# --- 13.9: the borrower's own words, in the right order --------------------------------


@pytest.mark.parametrize("key", ["proposal", "hold", "cn_instalment"])
def test_no_reason_is_invented_for_the_borrower(cn, key):
    html = letter(cn, "icbc", key)
    text = text_of(html)
    for invented in ("因收入减少", "家庭负担加重", "具体情况"):
        assert invented not in text
    assert "家庭负担加重" not in pdf_text(html)


@pytest.mark.parametrize(("key", "request_starts"), [
    ("proposal", "现向贵行申请如下还款方案"),
    ("hold", "在此期间，恳请贵行"),
    ("cn_instalment", "具体方案如下"),
])
def test_the_borrowers_circumstances_come_before_the_request(cn, key, request_starts):
    own = "本人于2026年3月被裁员，目前靠打零工维持生活"
    html = letter(cn, "icbc", key, circumstances=own)
    text = text_of(html)
    assert "本人的具体情况：" + own + "。" in text
    assert text.index(own) < text.index(request_starts)
    assert "因收入减少" not in text
    pdf = pdf_text(html)
    assert pdf.index(own) < pdf.index(request_starts)


def test_a_dispute_does_not_admit_the_debt_it_disputes(cn):
    text = text_of(letter(cn, "icbc", "prove_debt"))
    assert "贵行就上述账户向本人主张债务，本人对此提出异议" in text
    assert "本人系" not in text and "借款人" not in text
    assert "本人与贵行签订的合同" not in text  # "the contract you say I signed" instead
    assert "贵行所称与本人签订的信用卡领用合约复印件" in text


def test_the_id_number_is_printed_in_full_in_the_letter_and_masked_on_pages(cn):
    from webapp.services.letter_sender import masked_html

    html = letter(cn, "icbc", "proposal")
    assert "身份证号码：" + ID_NUMBER in text_of(html)
    assert ID_NUMBER in pdf_text(html)
    shown = masked_html(type("Stored", (), {"html": html})())
    assert ID_NUMBER not in shown
    assert "身份证号码：1101**********1232" in text_of(shown)
    assert mask(ID_NUMBER) == "1101**********1232"


def test_the_enclosed_proofs_are_named_in_the_letter_and_listed_as_enclosures(cn):
    html = letter(cn, "icbc", "cn_instalment", proofs=["bank_statements", "unemployment"])
    text = text_of(html)
    assert "为便于贵行核实，本人随函附上失业证明、银行流水。" in text
    assert "附件：1.家庭收支情况说明；2.失业证明；3.银行流水" in text
    assert "附件：1.家庭收支情况说明；2.失业证明；3.银行流水" in pdf_text(html)
    english = text_of(letter(cn, "icbc", "proposal", "en", proofs="diagnosis"))
    assert "Enclosed:budgetstatement;amedicaldiagnosis" in english
    assert "附件：家庭收支情况说明" in text_of(letter(cn, "icbc", "proposal"))
    with pytest.raises(ValidationError) as caught:
        letter(cn, "icbc", "proposal", proofs="payslips")
    assert caught.value.errors[0].path == "extras.proofs"


@pytest.mark.parametrize("key", ["proposal", "hold", "cn_instalment", "token", "reconsider"])
def test_waiving_charges_already_made_is_asked_only_when_the_borrower_wants_it(cn, key):
    case, plan = cn
    debt = "icbc"
    if key == "token":  # a token offer needs a deficit: no plan of this case offers one
        plan = {"name": "token", "offers": [{"debt_id": "icbc", "monthly": "100.00"}]}
    def render(**extras):
        return text_of(render_letter(case, debt, key, "zh_CN", today=TODAY, plan=plan,
                                     strategy=CATALOGUE[key].strategy, extras=extras))
    assert "减免本人逾期以来已计收的罚息、违约金及利息" in render(waive_charges="yes")
    assert "减免" not in render()


def test_proof_of_debt_is_not_titled_a_credit_report_dispute_outside_china():
    assert CATALOGUE["prove_debt"].title["zh_CN"] == "债务核实申请"
    for jurisdiction in ("GB", "US"):
        raw = load_raw("gb-family" if jurisdiction == "GB" else "us-with-priority")
        case = parse_case(raw)
        debt = case.non_priority_debts[0]
        html = render_letter(case, debt.id, "prove_debt", "zh_CN", today=TODAY)
        assert "征信异议" not in html
        title = re.search(r"<title>(.*)</title>", html)[1]
        assert title == re.search(r'<h1 class="subject center">(.*)</h1>', html)[1]


# --- the case file carries the new optional fields ------------------------------------


def test_the_case_file_takes_a_valid_id_number_and_round_trips_it():
    raw = load_raw("cn-credit-cards")
    raw["borrower"]["id_number"] = " 1101 0519 9001 0112 32 "  # as typed, in groups
    case = parse_case(raw)
    assert case.borrower.id_number == ID_NUMBER
    assert dump_case(case)["borrower"]["id_number"] == ID_NUMBER
    assert parse_case(dump_case(case)) == case


@pytest.mark.parametrize(("value", "jurisdiction", "message"), [
    ("110105199001011233", "CN", "check digit"),
    ("1101051990010112", "CN", "18 characters"),
    ("!!", "GB", "letters, digits"),
])
def test_a_wrong_id_number_is_refused_by_its_field_path(value, jurisdiction, message):
    raw = load_raw("cn-credit-cards" if jurisdiction == "CN" else "gb-family")
    raw["borrower"]["id_number"] = value
    with pytest.raises(ValidationError) as caught:
        parse_case(raw)
    [error] = caught.value.errors
    assert error.path == "borrower.id_number" and message in error.message


def test_i_dont_have_the_account_reference_round_trips_and_yields_to_a_reference():
    raw = load_raw("gb-family")
    case = parse_case(raw)
    vanq = next(d for d in case.debts if d.id == "vanq")
    assert vanq.account_ref_unknown and not vanq.account_ref
    assert parse_case(dump_case(case)) == case
    raw["debts"][1]["account_ref"] = "4929"
    again = parse_case(raw).debts[1]
    assert again.account_ref == "4929" and not again.account_ref_unknown
    raw["debts"][1]["account_ref_unknown"] = "yes"
    with pytest.raises(ValidationError) as caught:
        parse_case(raw)
    assert caught.value.errors[0].path == "debts[1].account_ref_unknown"
