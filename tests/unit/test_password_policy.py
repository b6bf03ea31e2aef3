"""The password policy (issue 7 item 11): common and leaked passwords, repeats,
sequences and the account's own e-mail are refused; real passphrases pass."""

from __future__ import annotations

import pytest

from webapp.password_policy import COMMON, EMAIL, REPEATED, SEQUENCE, common_passwords, problem


@pytest.mark.parametrize("password, email, verdict", [
    ("aaaaaaaaaa", None, REPEATED),
    ("          ", None, REPEATED),  # ten spaces
    ("ZZZZZZZZZZZZ", None, REPEATED),
    ("abcabcabca", None, REPEATED),
    ("passwordpassword", None, REPEATED),
    ("1234567890", None, SEQUENCE),
    ("0123456789", None, SEQUENCE),
    ("9876543210", None, SEQUENCE),
    ("34567890123", None, SEQUENCE),
    ("abcdefghijk", None, SEQUENCE),
    ("QWERTYUIOP", None, SEQUENCE),
    ("poiuytrewq", None, SEQUENCE),
    ("basketball", None, COMMON),
    ("1q2w3e4r5t", None, COMMON),
    ("Password123!", None, COMMON),
    ("p@ssw0rd2024", None, COMMON),
    ("iloveyou!!!!", None, COMMON),
    ("2024liverpool", None, COMMON),
    ("parley2026!", None, COMMON),
    ("sam.jones@example.com", "sam.jones@example.com", EMAIL),
    ("SAM.JONES@EXAMPLE.COM", "sam.jones@example.com", EMAIL),
    ("sam.jones", "Sam.Jones@example.com", EMAIL),
    ("samjones1990", "sam.jones@example.com", EMAIL),
    ("borrower123", "borrower@example.com", EMAIL),
])
def test_weak_passwords_are_refused(password, email, verdict):
    assert problem(password, email) == verdict


@pytest.mark.parametrize("password", [
    "correct horse battery",
    "a brand new secret",
    "Tr0ub4dor&3 staple",
    "my cat eats tulips",
    "我的密码很长很长很长",  # Chinese passphrases are passphrases too
    "k8#Qz!v2Lp0w",
])
def test_real_passphrases_pass(password):
    assert problem(password, "sam.jones@example.com") is None


def test_the_shipped_list_is_loaded_and_lowercase():
    words = common_passwords()
    assert 9_000 < len(words) <= 10_000
    assert {"password", "iloveyou", "1234567890", "basketball"} <= words
    assert all(w == w.lower() for w in words)
    assert not any(w.startswith("# ") for w in words)  # the header is not a password


def test_a_megabyte_password_is_judged_in_linear_time():
    # A form may post up to MAX_CONTENT_LENGTH; a quadratic repeat check would
    # keep a worker busy for hours on these (this test would not finish).
    assert problem("ab" * 500_000) == "repeated"
    assert problem("x" * 999_999 + "y") is None
