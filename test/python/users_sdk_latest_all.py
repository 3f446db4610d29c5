"""Every method of the newest Python SDK's Users service (`appwrite` 27.0.0, response format
2.5.0, pydantic models) against the gateway, as named checks (see sdk_checks.py).

Usage: python users_sdk_latest_all.py ENDPOINT PROJECT KEY PREFIX
Expected answers: users-latest.md, sessions-and-teams.md §2, users-api.md. This file has the
user record itself (create, imports, get, list, updates, delete); the other areas are in
users_latest_sessions.py, users_latest_mfa.py and users_latest_targets.py.
"""
import sys

from appwrite.client import Client
from appwrite.enums.password_hash import PasswordHash
from appwrite.models.preferences import Preferences
from appwrite.models.user import User
from appwrite.models.user_list import UserList
from appwrite.query import Query
from appwrite.services.users import Users

import users_latest_mfa
import users_latest_sessions
import users_latest_targets
from sdk_checks import (
    Checks,
    LAST,
    expect,
    expect_date,
    expect_error,
    expect_no_content,
    expect_true,
    record_raw,
)

ARGON2_DEFAULT = {"type": "argon2", "memoryCost": 2048, "timeCost": 4, "threads": 3}
MFA_FACTORS_BEYOND_SPEC = ["MfaFactors.custom"]  # in the 27.0.0 model, not in users-latest.md


class Ctx:
    def __init__(self, endpoint, project, key, prefix):
        self.endpoint, self.project, self.key, self.prefix = endpoint, project, key, prefix
        self.client = record_raw(Client().set_endpoint(endpoint).set_project(project).set_key(key))
        self.users = Users(self.client)
        self.checks = Checks("appwrite-python latest", Users, exempt=MFA_FACTORS_BEYOND_SPEC)

    @property
    def raw(self):
        return self.client.raw

    def id(self, name):
        return f"{self.prefix}-{name}"

    def email(self, name):
        return f"{self.prefix}-{name}@latest.example"

    def user(self, who, **fields):
        """A user for a check's setup (create is checked on its own)."""
        fields.setdefault("email", self.email(who))
        return self.users.create(self.id(who), **fields)

    def check_user(self, user, what):
        """A User answer: the model parsed it and the wire carried every field of the model."""
        expect_true(isinstance(user, User), f"{what}: not parsed into User: {type(user).__name__}")
        self.checks.strict(User, self.raw, what)
        for field in ("$createdAt", "$updatedAt", "registration"):
            expect_date(self.raw[field], f"{what}: {field}")
        expect(type(self.raw.get("impersonator")), bool, f"{what}: impersonator is a boolean (format 1.9.0+)")
        return self.raw


def users_area(ctx):
    c, users = ctx.checks, ctx.users
    ann = ctx.id("ann")

    def create():
        u = users.create(ann, email=f"Ann.{ctx.prefix}@Latest.Example", password="correct horse battery", name="Ann")
        raw = ctx.check_user(u, "create")
        expect(LAST["status"], 201, "create: status")
        expect((u.id, u.email, u.name, u.hash), (ann, f"ann.{ctx.prefix}@latest.example", "Ann", "argon2"), "create")
        expect(raw["hashOptions"], ARGON2_DEFAULT, "create: hashOptions")
        expect_true(u.password.startswith("$argon2id$v=19$m=65536,t=4,p=3$"), f"create: password {u.password!r}")
        expect((u.labels, u.mfa, u.accessedat, raw["impersonator"]), ([], False, "", False), "create: labels, mfa, accessedAt, impersonator")
        expect_date(u.passwordupdate, "create: passwordUpdate")

    c.run("create", create)

    def create_phone_only():
        u = users.create(ctx.id("phone-only"), phone="+14155560101")
        ctx.check_user(u, "create phone only")
        expect((u.password, u.passwordupdate, u.email, u.phone), (None, "", "", "+14155560101"), "create: phone only")

    c.run("create: phone only, no password", create_phone_only)
    c.run("create: same id → 409", lambda: expect_error(lambda: users.create(ann, email=ctx.email("other")), 409, "user_already_exists", "create again"))

    def imported(method, who, hash_, options, *args, **kwargs):
        def check():
            u = getattr(users, method)(ctx.id(who), ctx.email(who), *args, **kwargs)
            raw = ctx.check_user(u, method)
            expect(LAST["status"], 201, f"{method}: status")
            expect((u.hash, raw["password"]), (hash_, args[0]), f"{method}: hash and stored password")
            expect(raw["hashOptions"], options, f"{method}: hashOptions")
            expect(list(raw["hashOptions"]), list(options), f"{method}: hashOptions key order")

        return check

    c.run("create_argon2_user", imported("create_argon2_user", "argon2", "argon2", {"type": "argon2"}, "$argon2i$v=19$m=20,t=3,p=2$YXBwd3JpdGU$A/54i238ed09ZR4NwlACU5XnkjNBZU9QeOEuhjLiexI", name="Argon"))
    c.run("create_bcrypt_user", imported("create_bcrypt_user", "bcrypt", "bcrypt", {"type": "bcrypt"}, "$2a$15$xX/myGbFU.ZSKHSi6EHdBOySTdYm8QxBLXmOPHrYMwV0mHRBBSBOq"))
    c.run("create_md5_user", imported("create_md5_user", "md5", "md5", {"type": "md5"}, "144fa7eaa4904e8ee120651997f70dcc"))
    c.run("create_ph_pass_user", imported("create_ph_pass_user", "phpass", "phpass", {"type": "phpass"}, "$P$Br387rwferoKN7uwHZqNMu98q3U8RO."))
    scrypt_hash = "3fdef49701bc4cfaacd551fe017283513284b4731e6945c263246ef948d3cf63b5d269c31fd697246085111a428245e24a4ddc6b64c687bc60a8910dbafc1d5b"
    scrypt_options = {"salt": "appwrite", "costCpu": 16384, "costMemory": 13, "costParallel": 2, "length": 64, "type": "scrypt"}
    c.run("create_scrypt_user", imported("create_scrypt_user", "scrypt", "scrypt", scrypt_options, scrypt_hash, "appwrite", 16384, 13, 2, 64))
    signer = "XyEKE9RcTDeLEsL/RjwPDBv/RqDl8fb3gpYEOQaPihbxf1ZAtSOHCjuAAa7Q3oHpCYhXSN9tizHgVOwn6krflQ=="
    mod_options = {"signerKey": signer, "saltSeparator": "Bw==", "salt": "UxLMreBr6tYyjQ==", "type": "scryptMod"}
    mod_hash = "UlM7JiXRcQhzAGlaonpSqNSLIz475WMddOgLjej5De9vxTy48K6WtqlEzrRFeK4t0COfMhWCb8wuMHgxOFCHFQ=="
    c.run("create_scrypt_modified_user", imported("create_scrypt_modified_user", "scrypt-mod", "scryptMod", mod_options, mod_hash, "UxLMreBr6tYyjQ==", "Bw==", signer))
    sha512 = "4243da0a694e8a2f727c8060fe0507c8fa01ca68146c76d2c190805b638c20c6bf6ba04e21f11ae138785d0bff63c416e6f87badbffad37f6dee50094cc38c70"
    c.run("create_sha_user", imported("create_sha_user", "sha512", "sha", {"version": "sha512", "type": "sha"}, sha512, password_version=PasswordHash.SHA512))
    c.run("create_sha_user: no version", imported("create_sha_user", "sha-default", "sha", {"type": "sha"}, sha512[:64]))

    def get():
        u = users.get(ann)
        ctx.check_user(u, "get")
        expect((u.id, u.name), (ann, "Ann"), "get")

    c.run("get", get)

    def format_warning():
        users.get(ann)
        warning = LAST["headers"].get("X-Appwrite-Warning", "")
        expect_true(warning, "get: no X-Appwrite-Warning although the format 2.5.0 is newer than the server's")

    c.run("get: X-Appwrite-Warning for a format newer than the server's", format_warning)
    c.run("get: unknown → 404", lambda: expect_error(lambda: users.get(ctx.id("nobody")), 404, "user_not_found", "get unknown"))

    def list_():
        page = users.list(search=ann)
        expect_true(isinstance(page, UserList), f"list: not parsed into UserList: {type(page).__name__}")
        c.strict(UserList, ctx.raw, "list")
        expect_true(ann in [u.id for u in page.users], f"list: {ann} not in {[u.id for u in page.users]}")
        one = users.list(queries=[Query.equal("email", [f"ann.{ctx.prefix}@latest.example"]), Query.limit(1)])
        expect((one.total, [u.id for u in one.users]), (1, [ann]), "list: equal(email) + limit(1)")

    c.run("list", list_)

    def list_no_total():
        page = users.list(queries=[Query.starts_with("email", ctx.prefix)], total=False)
        expect(page.total, 0, "list(total=False): total")
        expect_true(len(page.users) > 0, "list(total=False): the users are still listed")

    c.run("list: total=False → total 0", list_no_total)

    def update_name():
        u = users.update_name(ann, "Ann Renamed")
        ctx.check_user(u, "update_name")
        expect(u.name, "Ann Renamed", "update_name")

    c.run("update_name", update_name)

    def update_password():
        before = users.get(ctx.id("md5"))
        u = users.update_password(ctx.id("md5"), "another horse battery")
        raw = ctx.check_user(u, "update_password")
        expect((u.hash, raw["hashOptions"]), ("argon2", ARGON2_DEFAULT), "update_password: rehashed with argon2")
        expect_true(u.password.startswith("$argon2id$") and u.passwordupdate >= before.passwordupdate, "update_password: new hash and passwordUpdate")

    c.run("update_password", update_password)

    def update_email():
        u = users.update_email(ann, f"New.{ctx.prefix}@Latest.Example")
        ctx.check_user(u, "update_email")
        expect((u.email, u.emailverification), (f"new.{ctx.prefix}@latest.example", False), "update_email")

    c.run("update_email", update_email)

    def remove_email():
        u = users.update_email(ann, "")
        ctx.check_user(u, "update_email('')")
        expect(u.email, "", "update_email(''): the email is removed")
        expect(users.get(ann).email, "", "update_email(''): get after")

    c.run("update_email: '' removes the email", remove_email)

    def update_phone():
        u = users.update_phone(ann, "+14155560199")
        ctx.check_user(u, "update_phone")
        expect((u.phone, u.phoneverification), ("+14155560199", False), "update_phone")

    c.run("update_phone", update_phone)

    def remove_phone():
        u = users.update_phone(ctx.id("phone-only"), "")
        ctx.check_user(u, "update_phone('')")
        expect(u.phone, "", "update_phone(''): the phone is removed")

    c.run("update_phone: '' removes the phone", remove_phone)

    def verification(method, field, attr):
        def check():
            u = getattr(users, method)(ann, True)
            ctx.check_user(u, method)
            expect(getattr(u, attr), True, f"{method}(True): {field}")
            expect(getattr(getattr(users, method)(ann, False), attr), False, f"{method}(False): {field}")

        return check

    c.run("update_email_verification", verification("update_email_verification", "emailVerification", "emailverification"))
    c.run("update_phone_verification", verification("update_phone_verification", "phoneVerification", "phoneverification"))

    def update_status():
        u = users.update_status(ann, False)
        ctx.check_user(u, "update_status")
        expect(u.status, False, "update_status(False)")
        expect(users.update_status(ann, True).status, True, "update_status(True)")

    c.run("update_status", update_status)

    def prefs(method):
        def check():
            if method == "update_prefs":
                p = users.update_prefs(ann, {"theme": "dark", "nested": {"a": 1}})
            else:
                p = users.get_prefs(ann)
            expect_true(isinstance(p, Preferences), f"{method}: not parsed into Preferences: {type(p).__name__}")
            expect((p.data, ctx.raw), ({"theme": "dark", "nested": {"a": 1}},) * 2, f"{method}: the prefs object")

        return check

    c.run("update_prefs", prefs("update_prefs"))
    c.run("get_prefs", prefs("get_prefs"))

    def update_labels():
        u = users.update_labels(ann, ["vip", "beta", "vip"])
        ctx.check_user(u, "update_labels")
        expect(sorted(u.labels), ["beta", "vip"], "update_labels: de-duplicated")
        expect(users.update_labels(ann, ["gold"]).labels, ["gold"], "update_labels: replaces the set")
        expect(users.get(ann).labels, ["gold"], "update_labels: get shows them")
        found = users.list(queries=[Query.contains("labels", ["gold"])])
        expect([x.id for x in found.users], [ann], "update_labels: contains(labels) query")

    c.run("update_labels", update_labels)
    c.run(
        "update_labels: invalid label → 400",
        lambda: expect_error(lambda: users.update_labels(ann, ["not-alnum"]), 400, "general_argument_invalid", "update_labels(['not-alnum'])"),
    )

    def toggle(method, attr):
        def check():
            u = getattr(users, method)(ann, True)
            ctx.check_user(u, method)
            expect(getattr(u, attr), True, f"{method}(True): user.{attr}")
            expect(getattr(users.get(ann), attr), True, f"{method}(True): get shows it")
            expect(getattr(getattr(users, method)(ann, False), attr), False, f"{method}(False)")

        return check

    c.run("update_mfa", toggle("update_mfa", "mfa"))
    c.run("update_impersonator", toggle("update_impersonator", "impersonator"))

    def delete():
        gone = ctx.id("bcrypt")
        expect_no_content(users.delete(gone), "delete")
        expect_error(lambda: users.get(gone), 404, "user_not_found", "get after delete")
        expect_error(lambda: users.delete(gone), 404, "user_not_found", "delete again")

    c.run("delete", delete)


def main():
    ctx = Ctx(*sys.argv[1:5])
    users_area(ctx)
    users_latest_sessions.run(ctx)
    users_latest_mfa.run(ctx)
    users_latest_targets.run(ctx)
    ctx.checks.finish()


if __name__ == "__main__":
    main()
