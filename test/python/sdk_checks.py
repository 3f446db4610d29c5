"""Shared runner of the SDK conformance scripts (users_sdk_*_all.py): named checks, one JSON line each.

Every check prints `{"check": name, "method": sdk_method, "ok": bool, "error": "..."}`; the last
line is `{"summary": {...}}` with the pass/fail of every SDK method. A check is named
`<sdk method>` or `<sdk method>: <what>`, so a failure says which method. Works with every
generation of the `appwrite` package (2.x returns dicts, 2x pydantic models) and only the
standard library besides the SDK itself (and `requests`, which the SDK depends on).
"""
import base64
import inspect
import json
import re
import sys
import typing
from datetime import datetime, timezone

import requests
from appwrite.exception import AppwriteException

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$")
HEX = re.compile(r"^[0-9a-f]+$")

# The last HTTP answer the SDK got (status, headers): requests.request is what every SDK calls.
LAST = {}
_request = requests.request


def _recording_request(*args, **kwargs):
    response = _request(*args, **kwargs)
    LAST["status"], LAST["headers"], LAST["text"] = response.status_code, response.headers, response.text
    return response


requests.request = _recording_request


def record_raw(client):
    """Keeps the raw JSON the SDK received before its models parsed it, as client.raw."""
    call = client.call

    def recording_call(*args, **kwargs):
        client.raw = None
        result = call(*args, **kwargs)
        client.raw = result
        return result

    client.call = recording_call
    return client


def as_dict(value):
    """A model (2x SDKs) or a dict (2.x SDKs) as the dict of the wire."""
    if isinstance(value, dict):
        return value
    return value.model_dump(by_alias=True)


def describe(err):
    if isinstance(err, AppwriteException):
        return f"AppwriteException {err.code} {err.type}: {err.message}"
    return f"{type(err).__name__}: {err}"


def expect(actual, expected, what):
    if actual != expected:
        raise AssertionError(f"{what}: expected {expected!r}, got {actual!r}")


def expect_true(condition, what):
    if not condition:
        raise AssertionError(what)


def expect_date(value, what):
    if not isinstance(value, str) or not DATE.match(value):
        raise AssertionError(f"{what}: expected a date YYYY-MM-DDTHH:mm:ss.SSS+00:00, got {value!r}")


def seconds_from_now(value):
    return (datetime.fromisoformat(value) - datetime.now(timezone.utc)).total_seconds()


def expect_error(fn, code, type_, what, message=None):
    """fn must raise AppwriteException(code, type_); anything else fails with what it got."""
    try:
        got = fn()
    except AppwriteException as err:
        if (err.code, err.type) != (code, type_) or (message is not None and err.message != message):
            want = f"{code} {type_}" + (f": {message}" if message is not None else "")
            raise AssertionError(f"{what}: expected {want}, got {describe(err)}")
        return err
    raise AssertionError(f"{what}: expected {code} {type_}, got success {short(got)}")


def expect_not_found(fn, what):
    """A 404 with a specific type (an unknown route's general_route_not_found does not count)."""
    try:
        got = fn()
    except AppwriteException as err:
        if err.code != 404 or err.type in (None, "", "general_route_not_found"):
            raise AssertionError(f"{what}: expected 404 with a specific type, got {describe(err)}")
        return err
    raise AssertionError(f"{what}: expected 404, got success {short(got)}")


def expect_no_content(result, what):
    """After a call that answers 204: the status, a Content-Type header (the SDK reads it), no body."""
    expect(LAST.get("status"), 204, f"{what}: status")
    expect_true("Content-Type" in LAST["headers"], f"{what}: 204 without a Content-Type header")
    expect(LAST["text"], "", f"{what}: body of the 204")
    expect_true(result in (b"", "", None, {}), f"{what}: SDK returned {result!r}")


def expect_keys(obj, keys, what):
    """Exactly these keys in this order (the 1.3 models emit their keys in the order of models.md)."""
    got = list(obj.keys())
    if got == list(keys):
        return
    missing = [k for k in keys if k not in got]
    extra = [k for k in got if k not in keys]
    if missing or extra:
        raise AssertionError(f"{what}: keys differ, missing {missing}, extra {extra}")
    raise AssertionError(f"{what}: keys in another order: {got}")


def short(value, limit=300):
    try:
        text = json.dumps(as_dict(value), default=str)
    except Exception:  # noqa: BLE001 - only for messages
        text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def _model_of(annotation):
    """The pydantic model class inside an annotation (List[Target] -> Target), unions skipped."""
    from pydantic import BaseModel

    origin = typing.get_origin(annotation)
    if origin in (list, typing.List):
        args = typing.get_args(annotation)
        return _model_of(args[0]) if args else None
    if origin is typing.Union:
        return None
    if inspect.isclass(annotation) and issubclass(annotation, BaseModel):
        return annotation
    return None


def missing_fields(model, raw, path="", exempt=()):
    """Required fields of a pydantic model the raw JSON does not carry (the 2x SDK models fill in
    defaults for missing keys, so parsing alone does not show that a field is absent)."""
    if not isinstance(raw, dict):
        return []
    missing = []
    for name, field in model.model_fields.items():
        alias = field.alias or name
        here = f"{path}{model.__name__}.{alias}"
        if alias not in raw:
            if field.is_required() and f"{model.__name__}.{alias}" not in exempt:
                missing.append(here)
            continue
        inner = _model_of(field.annotation)
        if inner is None:
            continue
        values = raw[alias] if isinstance(raw[alias], list) else [raw[alias]]
        for i, value in enumerate(values):
            missing += missing_fields(inner, value, f"{here}[{i}] > ", exempt)
    return missing


def decode_jwt(token):
    parts = token.split(".")
    expect(len(parts), 3, "jwt: three dot-separated parts")
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    return json.loads(base64.urlsafe_b64decode(payload))


class Checks:
    """Runs named checks; `run(name, fn)` never raises, it prints the outcome."""

    def __init__(self, sdk, service_class, exempt=()):
        self.sdk = sdk
        self.results = []
        self.methods = sorted(n for n, f in inspect.getmembers(service_class, inspect.isfunction) if not n.startswith("_"))
        self.exempt = set(exempt)
        self.notes = []

    def run(self, name, fn):
        error = ""
        try:
            fn()
        except Exception as err:  # noqa: BLE001 - every failure becomes a line
            error = describe(err)
        method = name.split(":")[0].strip()
        self.results.append((name, method, not error, error))
        print(json.dumps({"check": name, "method": method, "ok": not error, "error": error}), flush=True)

    def strict(self, model, raw, what):
        """The raw answer carries every required field of the SDK's model."""
        missing = missing_fields(model, raw, exempt=self.exempt)
        if missing:
            raise AssertionError(f"{what}: the answer lacks {', '.join(missing)} (the SDK model fills in a default)")

    def note(self, text):
        self.notes.append(text)
        print(json.dumps({"note": text}), flush=True)

    def finish(self):
        covered = {method for _, method, _, _ in self.results}
        uncovered = [m for m in self.methods if m not in covered]
        self.run("coverage", lambda: expect(uncovered, [], "SDK methods without a check"))
        by_method = {}
        for _, method, ok, _ in self.results:
            by_method[method] = by_method.get(method, True) and ok
        failed = [name for name, _, ok, _ in self.results if not ok]
        summary = {
            "sdk": self.sdk,
            "checks": len(self.results),
            "failed": len(failed),
            "methods": len(self.methods),
            "methods_passing": sorted(m for m, ok in by_method.items() if ok and m in self.methods),
            "methods_failing": sorted(m for m, ok in by_method.items() if not ok and m in self.methods),
        }
        print(json.dumps({"summary": summary}), flush=True)
        sys.exit(1 if failed else 0)

