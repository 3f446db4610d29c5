"""Drives the Users API with the real Python SDK (`appwrite` on PyPI), any version.

Usage: python users_sdk_smoke.py ENDPOINT PROJECT KEY USER_ID
Exits 0 when every step answered as Appwrite would; raises (exit 1) at the first that did not.
Older SDKs return dicts, newer ones pydantic models; both are read as dicts.
"""
import sys

from appwrite.client import Client
from appwrite.exception import AppwriteException
from appwrite.services.users import Users


def as_dict(value):
    if isinstance(value, dict):
        return value
    return value.model_dump(by_alias=True)


def expect(actual, expected, what):
    if actual != expected:
        raise AssertionError(f"{what}: expected {expected!r}, got {actual!r}")


def main():
    endpoint, project, key, user_id = sys.argv[1:5]
    client = Client().set_endpoint(endpoint).set_project(project).set_key(key)
    users = Users(client)

    created = as_dict(users.create(user_id, email=f"{user_id}@python.example", password="correct horse battery", name="Py Thon"))
    expect(created["$id"], user_id, "create: $id")
    expect(created["email"], f"{user_id}@python.example", "create: email")

    fetched = as_dict(users.get(user_id))
    expect((fetched["$id"], fetched["name"]), (user_id, "Py Thon"), "get")

    renamed = as_dict(users.update_name(user_id, "Renamed"))
    expect(renamed["name"], "Renamed", "update_name")

    listed = as_dict(users.list(search=user_id))
    ids = [as_dict(u)["$id"] for u in listed["users"]]
    if user_id not in ids:
        raise AssertionError(f"list: {user_id} not in {ids}")

    # 204 answers: the SDK reads their Content-Type too (KeyError: 'content-type' without one).
    users.delete_sessions(user_id)
    users.delete(user_id)

    try:
        users.get(user_id)
    except AppwriteException as err:
        expect((err.code, err.type), (404, "user_not_found"), "get after delete")
    else:
        raise AssertionError("get after delete: expected 404 user_not_found")

    print("python sdk smoke: ok")


if __name__ == "__main__":
    main()
