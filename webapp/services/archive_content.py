"""What the archive of a borrower's data holds, written into a ZIP file entry by entry.

Layout (``parley-archive/1``)::

    README.txt                       what is here, in English and Chinese
    manifest.json                    every other file with its size and SHA-256,
                                     and per case its letters and uploads
    account.json                     e-mail, display name, dates, sessions, token names
                                     (the account's archive only, not one case's)
    cases/<case id>/case.json        the case file, exactly as "Export case file" gives it
    cases/<case id>/letters/sent/    each sent letter: the frozen HTML (its SHA-256 is
                                     the letter's fingerprint) and a PDF printed from it
    cases/<case id>/letters/drafts/  each draft as HTML only (see below)
    cases/<case id>/uploads/         every uploaded file, its name made safe
    cases/<case id>/audit-log.csv    the case's audit log as stored: who, when, what; no values

Drafts are HTML only: a draft never left Parley, any PDF of it is printed
afresh from the letter page, and printing every draft would make the archive
slow for nothing. A sent letter gets both: the HTML is the record (its digest is
the one on the letter's page), the PDF is what a reader opens.

Memory: the ZIP goes straight to a file; at most one entry's bytes are held at
a time (an upload is at most ``UPLOAD_MAX_BYTES``, 10 MB by default; a PDF a
few hundred KB), whatever the number of cases.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from ..extensions import db
from ..letters import render_pdf
from ..models import ApiToken, Case, User, UserSession
from ..models.types import now_utc
from . import audit, uploads
from .cases import export_case
from .letter_delivery import file_name

FORMAT = "parley-archive/1"
#: Entries already compressed (PDFs, images, recordings) are stored as they are.
_STORED_SUFFIXES = (".pdf", ".png", ".jpg", ".jpeg", ".webp", ".gif", ".mp3", ".m4a",
                    ".ogg", ".wav", ".zip", ".docx")
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')

README = """Parley: everything you keep here, as of {made_at} (UTC)

manifest.json  lists every file in this archive with its SHA-256 digest.
account.json   your account: e-mail address, name, dates, sessions, token names
               (never the tokens themselves); only in the archive of all your data.
cases/<id>/    one folder per case:
  case.json        the case file (parley-case/1), as "Export case file" gives it;
                   import it into Parley or give it to the parley command.
  letters/sent/    each letter you sent: the HTML exactly as sent (its SHA-256 is the
                   fingerprint shown on the letter's page) and a PDF of it.
  letters/drafts/  letters not sent yet, as HTML.
  uploads/         the files you uploaded (letters, screenshots, recordings).
  audit-log.csv    who opened, changed, downloaded or shared the case, and when.

Parley：截至 {made_at}（UTC）你保存在这里的全部资料

manifest.json  列出本压缩包中的每个文件及其 SHA-256 摘要。
account.json   你的账户：电子邮箱、名称、日期、登录会话、令牌名称（不含令牌本身）；
               仅见于“全部资料”的压缩包。
cases/<id>/    每个案件一个文件夹：case.json 为案件文件；letters/sent/ 为已寄出的信函
               （HTML 原文及 PDF）；letters/drafts/ 为草稿（HTML）；uploads/ 为你上传的
               文件；audit-log.csv 为谁在何时打开、修改、下载或共享了该案件。
"""


def _utc(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def safe_name(name: str, fallback: str = "file") -> str:
    """A file name that cannot leave its folder or upset a file system."""
    name = _UNSAFE.sub("_", unicodedata.normalize("NFC", name or "")).strip(" .")
    return name[:120] or fallback


def unique(name: str, taken: set[str], suffix: str = "") -> str:
    """``name``, or ``name-2``, ``name-3``... (before ``suffix``): two files of
    one folder never overwrite each other."""
    candidate, n = name, 2
    while candidate + suffix in taken:
        candidate, n = f"{name}-{n}", n + 1
    taken.add(candidate + suffix)
    return candidate


@dataclass
class Writer:
    """A ZIP being written, with the manifest's list of its files."""

    archive: zipfile.ZipFile
    files: list[dict] = field(default_factory=list)
    stamp: tuple = (1980, 1, 1, 0, 0, 0)

    def add(self, path: str, data: bytes) -> str:
        """Write one entry; return its SHA-256."""
        info = zipfile.ZipInfo(path, self.stamp)
        info.compress_type = (zipfile.ZIP_STORED if path.lower().endswith(_STORED_SUFFIXES)
                              else zipfile.ZIP_DEFLATED)
        self.archive.writestr(info, data)
        digest = hashlib.sha256(data).hexdigest()
        self.files.append({"path": path, "size": len(data), "sha256": digest})
        return digest


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2).encode("utf-8")


def account_data(user: User) -> dict:
    """The account as Parley keeps it, without secrets (no password hash, no token)."""
    sessions = db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)
                                  .order_by(UserSession.created_at))
    tokens = db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                .order_by(ApiToken.created_at))
    return {
        "email": user.email, "display_name": user.display_name, "role": user.role,
        "language": user.locale, "created_at": _utc(user.created_at),
        "email_verified_at": _utc(user.email_verified_at),
        "sessions": [{"started_at": _utc(s.created_at), "last_seen_at": _utc(s.last_seen_at),
                      "device": s.user_agent} for s in sessions],
        "tokens": [{"name": t.name, "created_at": _utc(t.created_at),
                    "last_used_at": _utc(t.last_used_at), "revoked_at": _utc(t.revoked_at)}
                   for t in tokens],
    }


def audit_csv(case: Case) -> tuple[bytes, int]:
    """The case's audit log as CSV (UTC times), and how many rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["at_utc", "actor", "action", "via", "subject"])
    events = audit.events_for(case)
    for e in events:
        writer.writerow([_utc(e.at), e.actor_email or audit.NO_ACCOUNT.get(e.via, ""),
                         e.action, e.via, e.subject_email])
    return out.getvalue().encode("utf-8"), len(events)


def _letters(w: Writer, case: Case, folder: str) -> list[dict]:
    rows, taken = [], set()
    for letter in case.letters:
        kind = "sent" if letter.is_sent else "drafts"
        formats = ("html", "pdf") if letter.is_sent else ("html",)
        html = letter.html.encode("utf-8")
        stem = file_name(letter, "html").name.removesuffix(".html")
        stem = unique(f"{kind}/{safe_name(stem, 'letter')}", taken)
        paths = {}
        for fmt in formats:
            path = f"{folder}letters/{stem}.{fmt}"
            w.add(path, html if fmt == "html" else render_pdf(letter.html))
            paths[fmt] = path
        rows.append({"id": letter.public_id, "type": letter.letter_type,
                     "language": letter.language, "status": letter.status,
                     "proposal_version": letter.proposal.version if letter.proposal else None,
                     "sent_at": _utc(letter.sent_at), "channel": letter.channel,
                     "sha256_as_sent": letter.sha256, "files": paths})
    return rows


def _uploads(w: Writer, case: Case, folder: str) -> list[dict]:
    rows = []
    for n, upload in enumerate(case.uploads, start=1):
        row = {"id": upload.public_id, "name": upload.filename,
               "media_type": upload.media_type, "size": upload.size,
               "sha256": upload.sha256, "uploaded_at": _utc(upload.created_at)}
        try:
            data = uploads.storage().get(upload.storage_key)
        except FileNotFoundError:
            row["missing"] = True  # (logged by the upload store's own checks)
        else:
            path = f"{folder}uploads/{n:03d}-{safe_name(upload.filename)}"
            row["path"] = path
            row["intact"] = w.add(path, data) == upload.sha256
        rows.append(row)
    return rows


def write_case(w: Writer, case: Case) -> dict:
    """One case's folder; its entry in the manifest."""
    folder = f"cases/{case.public_id}/"
    w.add(folder + "case.json", json.dumps(export_case(case), ensure_ascii=False,
                                           indent=2).encode("utf-8"))
    log, count = audit_csv(case)
    w.add(folder + "audit-log.csv", log)
    return {"id": case.public_id, "title": case.title, "folder": folder,
            "case_file": folder + "case.json", "audit_log": folder + "audit-log.csv",
            "audit_rows": count, "letters": _letters(w, case, folder),
            "uploads": _uploads(w, case, folder)}


def write_archive(target, user: User, cases: list[Case], *, account: bool = True) -> None:
    """The archive of ``user``'s ``cases`` into the open binary file ``target``;
    ``account``: with ``account.json`` (the account's archive, not one case's,
    which may be handed to someone else)."""
    made = now_utc()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        w = Writer(archive, stamp=(made.year, made.month, made.day, made.hour, made.minute,
                                   made.second - made.second % 2))
        w.add("README.txt", README.format(made_at=_utc(made)).encode("utf-8"))
        if account:
            w.add("account.json", _json(account_data(user)))
        manifest_cases = [write_case(w, case) for case in cases]
        manifest = {"format": FORMAT, "made_at": _utc(made),
                    "account": "account.json" if account else None,
                    "cases": manifest_cases, "files": w.files}
        info = zipfile.ZipInfo("manifest.json", w.stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, _json(manifest))


def case_ids_in(path) -> list[str]:
    """The public ids of the cases an archive file holds (from its manifest)."""
    with zipfile.ZipFile(path) as archive:
        return [c["id"] for c in json.loads(archive.read("manifest.json"))["cases"]]
