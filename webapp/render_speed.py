"""Faster page rendering with the same output.

Profiling a case page (bench/web.py; pyinstrument and cProfile, see the commit
that added this module) showed a third of its time outside Parley's own work:

* every ``{{ _("...") }}`` in a template (about 120 per page) went through
  Flask-Babel's lookup: the request's babel namespace, the locale, the locale's
  identifier string, the translations cache; six context-local lookups per
  string. :func:`install` gives Jinja callables that find the request's
  translations once and keep them on that namespace, keyed by the locale object
  itself, so ``force_locale`` (e-mails in the recipient's language) still
  switches language;
* Flask-WTF loaded WTForms' message catalogue from disk on every request that
  built a form; :func:`wtforms_translations` keeps one per locale for the life
  of the process (the files are part of the installed package and never change
  while it runs).

``FAST_RENDERING = False`` switches both off, so that
tests/integration/test_page_output.py can prove the pages are identical either way.
"""

from __future__ import annotations

from babel import support
from flask import Flask, g
from flask_babel import get_locale, get_translations
from wtforms.i18n import messages_path

_WTFORMS: dict[str, support.Translations] = {}


def _translations():
    """The current request's translations, found once per request and locale."""
    try:
        namespace = g._flask_babel
        locale, translations = namespace.parley_translations
        if locale is namespace.babel_locale:
            return translations
    except AttributeError:
        pass
    translations = get_translations()
    namespace = getattr(g, "_flask_babel", None)
    if namespace is not None:
        namespace.parley_translations = (getattr(namespace, "babel_locale", None), translations)
    return translations


def install(app: Flask) -> None:
    """Replace the gettext callables Flask-Babel gave Jinja (same strings out)."""
    if not app.config.get("FAST_RENDERING", True):
        return
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True,
    )


class WTFormsTranslations:
    """WTForms' own messages ("Not a valid date value."), in the request's language."""

    def _catalogue(self):
        locale = get_locale()
        key = str(locale)
        catalogue = _WTFORMS.get(key)
        if catalogue is None:
            catalogue = _WTFORMS[key] = support.Translations.load(
                messages_path(), [locale], domain="wtforms")
        return catalogue

    def gettext(self, string: str) -> str:
        return self._catalogue().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._catalogue().ungettext(singular, plural, n)


_WTFORMS_TRANSLATIONS = WTFormsTranslations()


def wtforms_translations(default):
    """What a form's ``Meta.get_translations`` returns: the cached catalogue, or
    ``default`` (Flask-WTF's own) when fast rendering is off or i18n is."""
    from flask import current_app
    from flask_wtf.i18n import translations as flask_wtf_translations

    if default is not flask_wtf_translations or not current_app.config.get("FAST_RENDERING", True):
        return default
    return _WTFORMS_TRANSLATIONS
