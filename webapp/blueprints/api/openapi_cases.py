"""The OpenAPI description of the workspace calls (``shared/API.md``): stored
cases, behind a personal access token. ``openapi.openapi_document`` adds these
paths to the stateless ones; schemathesis checks both against the server."""

from __future__ import annotations

from ...domain.limits import MAX_API_BODY, MAX_SCHEDULE_ENTRIES
from ...domain.plan import SCHEDULE_FORMS
from ...domain.status import NextAction
from ...models import AuditAction

ERROR = {"type": "object", "required": ["error"],
         "properties": {"error": {"type": "string"}, "message": {"type": "string"}}}
MONEY = {"type": "string", "pattern": r"^-?\d+\.\d{2}$"}
SECURITY = [{"token": []}]


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ERROR}}}


def _problems(description: str, problems: dict) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": problems}}}


CASE_ID = {"name": "case_id", "in": "path", "required": True,
           "schema": {"type": "string"},
           "description": "The case's id (from `GET /api/v1/cases` or `POST /api/v1/cases`)"}

SUMMARY = {
    "type": "object",
    "required": ["id", "owner", "currency", "jurisdiction", "total_owed", "next_action",
                 "next_due"],
    "properties": {
        "id": {"type": "string"},
        "owner": {"type": "string", "description": "The owner's e-mail address"},
        "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
        "jurisdiction": {"type": "string", "enum": ["CN", "US", "GB", "other"]},
        "total_owed": {**MONEY, "description": "Σ the debts' balances"},
        "next_action": {"type": "string", "nullable": True,
                        "enum": [a.value for a in NextAction] + [None],
                        "description": "The most pressing creditor's next action (the one "
                                       "due first; `write` has no date; `none` when nothing "
                                       "is left to do); null when the record has events "
                                       "after today in the borrower's time zone"},
        "next_due": {"type": "string", "format": "date", "nullable": True},
    },
}

AUDIT = {"type": "object", "required": ["events"], "properties": {"events": {
    "type": "array", "items": {
        "type": "object", "required": ["at", "actor", "action"],
        "properties": {"at": {"type": "string", "format": "date-time",
                              "description": "When, in UTC"},
                       "actor": {"type": "string",
                                 "description": "The e-mail address of who did it, as it "
                                                "was then; ``calendar-link`` for a fetch "
                                                "of the case's calendar subscription "
                                                "(noted once per link per day)"},
                       "action": {"type": "string", "enum": [a.value for a in AuditAction]}}}}}}

GRANT = {"type": "object", "required": ["email", "granted_at"], "properties": {
    "email": {"type": "string"}, "granted_at": {"type": "string", "format": "date-time"}}}


def workspace_paths(case_file: dict, plan: dict, status: dict, problems: dict) -> dict:
    """The paths of the workspace calls, with the shared schemas of the document."""
    unauthorized = _error("No token, or an unknown or revoked one")
    not_found = _error("No case with this id that the caller may open (whether or not it "
                       "exists)")
    owner_only = _error("The caller may open the case (a counselor with a grant) but only "
                        "its owner may do this")
    too_large = _problems(f"The body is larger than {MAX_API_BODY:,} bytes", problems)
    invalid = _problems("Every problem, by field path; nothing is stored", problems)
    malformed = _problems("The body is not JSON", problems)
    body = {"required": True, "content": {"application/json": {"schema": case_file}}}

    unknown_query = _problems("A query parameter this call does not take", problems)

    def op(summary: str, operation_id: str, responses: dict, **extra) -> dict:
        responses = {"422": unknown_query, **responses, "401": unauthorized}
        return {"summary": summary, "operationId": operation_id, "security": SECURITY,
                "responses": responses, **extra}

    return {
        "/api/v1/cases": {
            "get": op("Every case the caller may open (own and granted)", "listCases", {
                "200": {"description": "The cases", "content": {"application/json": {
                    "schema": {"type": "object", "required": ["cases"], "properties": {
                        "cases": {"type": "array", "items": SUMMARY}}}}}}}),
            "post": op("Store a case file as a new case, owned by the caller", "createCase", {
                "201": {"description": "Stored; `Location` names it",
                        "headers": {"Location": {"schema": {"type": "string"}},
                                    "ETag": {"schema": {"type": "string"}}},
                        "content": {"application/json": {"schema": {
                            "type": "object", "required": ["id"],
                            "properties": {"id": {"type": "string"}}}}}},
                "400": malformed, "413": too_large, "422": invalid}, requestBody=body),
        },
        "/api/v1/cases/{case_id}": {
            "parameters": [CASE_ID],
            "get": op("The case file, negotiations and contacts included", "getCase", {
                "200": {"description": "The case file (parley-case/1); `ETag` identifies "
                                       "this version of it",
                        "headers": {"ETag": {"schema": {"type": "string"}}},
                        "content": {"application/json": {"schema": case_file}}},
                "404": not_found}),
            "put": op("Replace the case file, if it has not changed since `If-Match`",
                      "replaceCase", {
                          "200": {"description": "Replaced: the case file as stored, with "
                                                 "its new `ETag`",
                                  "headers": {"ETag": {"schema": {"type": "string"}}},
                                  "content": {"application/json": {"schema": case_file}}},
                          "400": malformed, "404": not_found, "413": too_large,
                          "412": _error("The case changed since that ETag; nothing was "
                                        "written"),
                          "422": invalid,
                          "428": _error("No If-Match header: GET the case first")},
                      requestBody=body,
                      parameters=[{"name": "If-Match", "in": "header", "required": True,
                                   "schema": {"type": "string"},
                                   "description": "The ETag of the case file this change "
                                                  "is based on"}]),
            "delete": op("Erase the case and everything under it (owner only)", "eraseCase", {
                "204": {"description": "Erased"}, "403": owner_only, "404": not_found}),
        },
        "/api/v1/cases/{case_id}/plan": {"get": op(
            "The plan of the case as stored (as `parley plan` on its exported file)",
            "getCasePlan", {
                "200": {"description": "The plan (parley-plan/1)",
                        "content": {"application/json": {"schema": plan}}},
                "404": not_found,
                "422": _problems("The case breaks a limit, or a monthly schedule would be "
                                 f"over {MAX_SCHEDULE_ENTRIES:,} payment lines (path "
                                 "`schedule`)", problems)},
            parameters=[CASE_ID, {"name": "schedule", "in": "query", "required": False,
                                  "schema": {"type": "string", "enum": list(SCHEDULE_FORMS),
                                             "default": "monthly"}}])},
        "/api/v1/cases/{case_id}/status": {"get": op(
            "Where every negotiation of the case stands on a day (as `parley status "
            "--today` on its exported file)", "getCaseStatus", {
                "200": {"description": "The status (parley-status/1)",
                        "content": {"application/json": {"schema": status}}},
                "404": not_found,
                "422": _problems("`today` is not a date, or an event is after it",
                                 problems)},
            parameters=[CASE_ID, {"name": "today", "in": "query", "required": False,
                                  "schema": {"type": "string", "format": "date"},
                                  "description": "Default: today in the case's "
                                                 "jurisdiction's time zone"}])},
        "/api/v1/cases/{case_id}/grants": {"post": op(
            "Let a counselor open the case (owner only)", "grantAccess", {
                "201": {"description": "Granted",
                        "content": {"application/json": {"schema": GRANT}}},
                "200": {"description": "That counselor already had access",
                        "content": {"application/json": {"schema": GRANT}}},
                "400": malformed, "403": owner_only, "404": not_found, "413": too_large,
                "422": _problems("`email` is missing, or no counselor account has it",
                                 problems)},
            parameters=[CASE_ID],
            requestBody={"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["email"], "properties": {
                    "email": {"type": "string", "minLength": 1, "maxLength": 254,
                              "pattern": r"\S"}}}}}})},
        "/api/v1/cases/{case_id}/grants/{email}": {"delete": op(
            "Revoke a counselor's access (owner only); they get 404 from then on",
            "revokeAccess", {
                "204": {"description": "Revoked"}, "403": owner_only,
                "404": _error("No such case for the caller, or no live grant to that "
                              "e-mail address")},
            parameters=[CASE_ID, {"name": "email", "in": "path", "required": True,
                                  "schema": {"type": "string"}}])},
        "/api/v1/cases/{case_id}/audit": {"get": op(
            "The case's audit log, oldest first (owner only): every view, change, export, "
            "grant and revoke, by whom; never the values", "getCaseAudit", {
                "200": {"description": "The events",
                        "content": {"application/json": {"schema": AUDIT}}},
                "403": owner_only, "404": not_found},
            parameters=[CASE_ID])},
    }


SECURITY_SCHEMES = {"token": {
    "type": "http", "scheme": "bearer",
    "description": "A personal access token: `parley token create EMAIL`, or the account "
                   "page. `POST /api/v1/plan` and `POST /api/v1/status` need none."}}
