"""Static files served from memory, not from an open file handle.

Werkzeug's ``send_file`` keeps the file open until the response's body has
been written and closed. A browser that drops the connection at the wrong
moment (Chromium does, for the favicon, when a page closes) can leave that
file to the garbage collector: a leaked descriptor in a long-running process
and a ``ResourceWarning`` (an error under the tests' ``filterwarnings``).
Parley's static files are small (the largest is Pico's CSS, about 80 KiB), so
they are read whole and answered from memory, with the same headers (ETag,
Last-Modified, conditional and range requests, max-age) as before.
"""

from __future__ import annotations

import io
import os

from flask import Flask, abort, current_app, send_file
from werkzeug.security import safe_join


def static_file(filename: str):
    """The ``static`` endpoint: the file's bytes, or 404."""
    folder = current_app.static_folder
    path = safe_join(folder, filename) if folder else None
    if path is None or not os.path.isfile(path):
        abort(404)
    stat = os.stat(path)
    with open(path, "rb") as fh:
        data = fh.read()
    return send_file(
        io.BytesIO(data), download_name=os.path.basename(path),
        etag=f"{stat.st_mtime_ns:x}-{stat.st_size:x}", last_modified=stat.st_mtime,
        max_age=current_app.get_send_file_max_age(filename), conditional=True)


def init_app(app: Flask) -> None:
    app.view_functions["static"] = static_file
