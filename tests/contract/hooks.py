"""Schemathesis hooks of the OpenAPI contract test (tests/integration/openapi-contract.test.ts).

Each one makes generated requests meet a rule of the server that JSON Schema cannot state, and
nothing else: the checks then judge everything the document does say.
"""

import re
from datetime import date, timedelta

import schemathesis

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# analytics/query.ts: `from` before `to`, at most 366 * 10 days apart.
MAX_RANGE_DAYS = 366 * 10


def _day(value):
    """A generated date as Python reads it; year 0000 (valid in the schema) reads as year 4."""
    if not isinstance(value, str) or not DATE.match(value):
        return None
    if value.startswith("0000"):
        value = "0004" + value[4:]
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


@schemathesis.hook
def before_call(ctx, case, kwargs):
    # Before each request of every phase (the coverage phase does not run the `map_*` hooks).
    if case.query:
        meet_range_rules(case.query)


def meet_range_rules(query):
    # `cursor` is opaque: only a `next_cursor` the server answered is one (the audit log, the
    # rejected store). A generated string is refused 400, rightly, so it is not sent.
    query.pop("cursor", None)
    # The range: `from` before `to` and at most ten years apart. JSON Schema compares no two
    # parameters, so a valid `from` gets a `to` 30 days later when the pair breaks the rule (or
    # when `to` is absent: it would default to tomorrow, maybe before `from`, maybe ten years on).
    start, end = _day(query.get("from")), _day(query.get("to"))
    to_sent = "to" in query
    if start and (end if to_sent else True):
        if not end or not (start < end and (end - start).days <= MAX_RANGE_DAYS):
            try:
                query["to"] = (start + timedelta(days=30)).isoformat()
            except OverflowError:
                query["from"] = (start - timedelta(days=30)).isoformat()
                query["to"] = start.isoformat()
