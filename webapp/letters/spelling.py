"""American spelling for English letters to creditors outside Britain.

The English templates are written once, in British spelling. Letters whose
locale is ``en_US`` (``catalogue.LANGUAGES``) are rendered by a second Jinja
environment with :class:`AmericanSpelling`, which rewrites the *template's own
text* when it is compiled: the literal text between tags, and string literals
that contain a space (sentences; never template names, rule names or keys).
What the user typed (names, circumstances, a dispute) reaches the template as
an expression and is never touched. :func:`american` does the same to
Parley's own strings in Python (titles, budget labels).

The table lists whole words only: add a word when a template starts using it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from jinja2.ext import Extension
from jinja2.lexer import Token

#: British word -> American word (lower case; a capitalised word keeps its capital).
AMERICAN: dict[str, str] = {
    "acknowledgement": "acknowledgment",
    "apologise": "apologize",
    "authorise": "authorize",
    "authorised": "authorized",
    "behaviour": "behavior",
    "centre": "center",
    "cheque": "check",
    "cheques": "checks",
    "defence": "defense",
    "favour": "favor",
    "fortnightly": "every two weeks",
    "fulfil": "fulfill",
    "honour": "honor",
    "honoured": "honored",
    "instalment": "installment",
    "instalments": "installments",
    "judgement": "judgment",
    "licence": "license",
    "licences": "licenses",
    "minimise": "minimize",
    "neighbour": "neighbor",
    "neighbours": "neighbors",
    "offence": "offense",
    "organisation": "organization",
    "personalised": "personalized",
    "prioritise": "prioritize",
    "programme": "program",
    "realise": "realize",
    "recognise": "recognize",
    "summarise": "summarize",
    "towards": "toward",
    "whilst": "while",
}

_WORDS = re.compile(
    r"\b(" + "|".join(sorted((w for k in AMERICAN for w in (k, k.capitalize())), key=len,
                             reverse=True)) + r")\b"
)


def _swap(match: re.Match[str]) -> str:
    word = match.group(1)
    american_word = AMERICAN[word.lower()]
    return american_word.capitalize() if word[0].isupper() else american_word


def american(text: str) -> str:
    """``text`` with the British words of :data:`AMERICAN` spelt the American way."""
    return _WORDS.sub(_swap, text)


class AmericanSpelling(Extension):
    """Rewrites a template's own English into American spelling at compile time."""

    def filter_stream(self, stream: Iterable[Token]) -> Iterator[Token]:
        for token in stream:
            if token.type == "data" or (token.type == "string" and " " in token.value):
                token = Token(token.lineno, token.type, american(token.value))
            yield token
