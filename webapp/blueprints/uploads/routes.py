"""Downloading an upload: only by who may open the case, only as an attachment.

Whatever the file is, the browser is told to save it, never to show it: the
type found by content (never text/html or image/svg+xml, which Parley does
not accept), ``nosniff`` so the browser does not guess another, and a CSP
sandbox in case it is opened anyway.
"""

from __future__ import annotations

from flask import Response
from flask_login import current_user, login_required

from ...domain.filetypes import TYPES
from ...domain.uploads import content_disposition
from ...services import uploads as svc
from ...services.access import get_case
from . import bp

#: A file served from here runs nothing, loads nothing and is never cached.
CSP = "sandbox; default-src 'none'"
#: The only types served as themselves: those the content check accepts.
SERVABLE = frozenset(t.media_type for t in TYPES.values())


@bp.get("/<case_id>/uploads/<upload_id>")
@login_required
def download(case_id: str, upload_id: str):
    case = get_case(current_user, case_id)
    upload = svc.get_upload(case, upload_id)
    data = svc.read(upload)
    media_type = upload.media_type if upload.media_type in SERVABLE else \
        "application/octet-stream"
    return Response(data, content_type=media_type, headers={
        "Content-Disposition": content_disposition(upload.filename),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": CSP,
        "Cache-Control": "private, no-store",
    })
