"""Human names for the audit log's actions and channels, in the page's language."""

from flask_babel import lazy_gettext as _l

ACTIONS = {
    "create": _l("created the case"),
    "view": _l("viewed"),
    "change": _l("changed"),
    "export": _l("exported (downloaded a file)"),
    "grant": _l("gave access"),
    "revoke": _l("revoked access"),
    "login": _l("logged in"),
    "handover": _l("took the case over"),
    "password-reset": _l("reset the password by e-mail"),
    "note_add": _l("added a counselor's note"),
    "note_delete": _l("removed a counselor's note"),
    "task_add": _l("added a task"),
    "task_change": _l("marked a task done or not done"),
    "task_delete": _l("removed a task"),
    "reveal": _l("showed the full account and ID numbers"),
}
CHANNELS = {"web": _l("website"), "api": _l("API"), "calendar": _l("calendar link")}
