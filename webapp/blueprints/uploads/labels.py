"""What an uploaded file is, in the page's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ...domain.filetypes import TYPES
from . import bp

#: By the type's family (webapp.domain.filetypes).
FAMILY = {"document": _l("PDF"), "image": _l("photo"), "audio": _l("recording")}
_FAMILY_OF = {t.media_type: t.family for t in TYPES.values()}


@bp.app_template_filter("filekind")
def filekind(media_type: str) -> str:
    """``image/png`` → "photo"; ``audio/amr`` → "recording"."""
    return str(FAMILY.get(_FAMILY_OF.get(media_type, ""), _l("file")))
