"""Every method of the Python SDK of Appwrite 1.3 (`appwrite` 2.0.2, response format 1.0.0, plain
dicts) against the gateway, as named checks (see sdk_checks.py). The answers must have exactly
the 1.3 shapes of models.md: no `labels`, `accessedAt`, `mfa`, `targets`, session `factors` ...

Usage: python users_sdk_v2_all.py ENDPOINT PROJECT KEY PREFIX
"""
import sys

import requests
from appwrite.client import Client
from appwrite.query import Query
from appwrite.services.teams import Teams
from appwrite.services.users import Users

from sdk_checks import LAST, Checks, expect, expect_date, expect_error, expect_keys, expect_no_content, expect_true, record_raw

USER = ["$id", "$createdAt", "$updatedAt", "name", "password", "hash", "hashOptions", "registration", "status", "passwordUpdate", "email", "phone", "emailVerification", "phoneVerification", "prefs"]
SESSION = [
    "$id", "$createdAt", "userId", "expire", "provider", "providerUid", "providerAccessToken", "providerAccessTokenExpiry", "providerRefreshToken", "ip",
    "osCode", "osName", "osVersion", "clientType", "clientCode", "clientName", "clientVersion", "clientEngine", "clientEngineVersion",
    "deviceName", "deviceBrand", "deviceModel", "countryCode", "countryName", "current",
]  # fmt: skip
MEMBERSHIP = ["$id", "$createdAt", "$updatedAt", "userId", "userName", "userEmail", "teamId", "teamName", "invited", "joined", "confirm", "roles"]
LOG = [
    "event", "userId", "userEmail", "userName", "mode", "ip", "time", "osCode", "osName", "osVersion", "clientType", "clientCode", "clientName",
    "clientVersion", "clientEngine", "clientEngineVersion", "deviceName", "deviceBrand", "deviceModel", "countryCode", "countryName",
]  # fmt: skip
ARGON2_DEFAULT = {"type": "argon2", "memoryCost": 2048, "timeCost": 4, "threads": 3}
CHROME_MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/112.0.0.0 Safari/537.36"


def main():
    endpoint, project, key, prefix = sys.argv[1:5]
    client = record_raw(Client().set_endpoint(endpoint).set_project(project).set_key(key))
    users = Users(client)
    c = Checks("appwrite-python 2.0.2", Users)
    ident = lambda name: f"{prefix}-{name}"  # noqa: E731
    mail = lambda name: f"{prefix}-{name}@v2.example"  # noqa: E731
    ann, state = ident("ann"), {}

    def user(u, what):
        expect_keys(u, USER, what)
        for field in ("$createdAt", "$updatedAt", "registration"):
            expect_date(u[field], f"{what}: {field}")
        return u

    def create():
        u = user(users.create(ann, mail("Ann").upper(), None, "correct horse battery", "Ann"), "create")
        expect(LAST["status"], 201, "create: status")
        expect((u["$id"], u["email"], u["name"], u["hash"], u["hashOptions"]), (ann, mail("ann"), "Ann", "argon2", ARGON2_DEFAULT), "create")
        expect_true(u["password"].startswith("$argon2id$v=19$m=65536,t=4,p=3$"), f"create: password {u['password']!r}")
        expect((u["status"], u["prefs"], u["phone"], u["emailVerification"]), (True, {}, "", False), "create: defaults")

    c.run("create", create)

    def create_phone_only():
        u = user(users.create(ident("phone"), None, "+14155550101"), "create phone only")
        expect((u["password"], u["passwordUpdate"], u["email"], u["phone"]), (None, "", "", "+14155550101"), "create: phone only")

    c.run("create: phone only, no password", create_phone_only)
    c.run("create: same id → 409", lambda: expect_error(lambda: users.create(ann, mail("other")), 409, "user_already_exists", "create again"))

    def imported(method, name, hash_, options, *args):
        def check():
            u = user(getattr(users, method)(ident(name), mail(name), *args), method)
            expect(LAST["status"], 201, f"{method}: status")
            expect((u["hash"], u["password"], u["hashOptions"]), (hash_, args[0], options), f"{method}: hash, password, hashOptions")
            expect(list(u["hashOptions"]), list(options), f"{method}: hashOptions key order")

        return check

    c.run("create_argon2_user", imported("create_argon2_user", "argon2", "argon2", {"type": "argon2"}, "$argon2i$v=19$m=20,t=3,p=2$YXBwd3JpdGU$A/54i238ed09ZR4NwlACU5XnkjNBZU9QeOEuhjLiexI"))
    c.run("create_bcrypt_user", imported("create_bcrypt_user", "bcrypt", "bcrypt", {"type": "bcrypt"}, "$2a$15$xX/myGbFU.ZSKHSi6EHdBOySTdYm8QxBLXmOPHrYMwV0mHRBBSBOq"))
    c.run("create_md5_user", imported("create_md5_user", "md5", "md5", {"type": "md5"}, "144fa7eaa4904e8ee120651997f70dcc"))
    c.run("create_ph_pass_user", imported("create_ph_pass_user", "phpass", "phpass", {"type": "phpass"}, "$P$Br387rwferoKN7uwHZqNMu98q3U8RO."))
    scrypt_hash = "3fdef49701bc4cfaacd551fe017283513284b4731e6945c263246ef948d3cf63b5d269c31fd697246085111a428245e24a4ddc6b64c687bc60a8910dbafc1d5b"
    scrypt = {"salt": "appwrite", "costCpu": 16384, "costMemory": 13, "costParallel": 2, "length": 64, "type": "scrypt"}
    c.run("create_scrypt_user", imported("create_scrypt_user", "scrypt", "scrypt", scrypt, scrypt_hash, "appwrite", 16384, 13, 2, 64))
    signer = "XyEKE9RcTDeLEsL/RjwPDBv/RqDl8fb3gpYEOQaPihbxf1ZAtSOHCjuAAa7Q3oHpCYhXSN9tizHgVOwn6krflQ=="
    mod = {"signerKey": signer, "saltSeparator": "Bw==", "salt": "UxLMreBr6tYyjQ==", "type": "scryptMod"}
    mod_hash = "UlM7JiXRcQhzAGlaonpSqNSLIz475WMddOgLjej5De9vxTy48K6WtqlEzrRFeK4t0COfMhWCb8wuMHgxOFCHFQ=="
    c.run("create_scrypt_modified_user", imported("create_scrypt_modified_user", "scrypt-mod", "scryptMod", mod, mod_hash, "UxLMreBr6tYyjQ==", "Bw==", signer))
    sha512 = "4243da0a694e8a2f727c8060fe0507c8fa01ca68146c76d2c190805b638c20c6bf6ba04e21f11ae138785d0bff63c416e6f87badbffad37f6dee50094cc38c70"
    c.run("create_sha_user", imported("create_sha_user", "sha512", "sha", {"version": "sha512", "type": "sha"}, sha512, "sha512"))
    c.run("create_sha_user: no version", imported("create_sha_user", "sha-default", "sha", {"type": "sha"}, sha512[:64]))

    c.run("get", lambda: expect(user(users.get(ann), "get")["name"], "Ann", "get: name"))
    c.run("get: no X-Appwrite-Warning for format 1.0.0", lambda: expect(LAST["headers"].get("X-Appwrite-Warning"), None, "get: X-Appwrite-Warning"))
    c.run("get: unknown → 404", lambda: expect_error(lambda: users.get(ident("nobody")), 404, "user_not_found", "get unknown"))

    def list_():
        page = users.list(search=ann)
        expect_keys(page, ["total", "users"], "list")
        for u in page["users"]:
            user(u, "list: users[]")
        expect_true(ann in [u["$id"] for u in page["users"]], f"list: {ann} not found by search")
        one = users.list([Query.equal("email", [mail("ann")]), Query.limit(1)])
        expect((one["total"], [u["$id"] for u in one["users"]]), (1, [ann]), 'list: equal("email", [...]), limit(1) in the 1.x string syntax')

    c.run("list", list_)

    def update(method, *args, then):
        def check():
            u = user(getattr(users, method)(*args), method)
            for field, value in then.items():
                expect(u[field], value, f"{method}: {field}")

        return check

    c.run("update_name", update("update_name", ann, "Ann Renamed", then={"name": "Ann Renamed"}))
    c.run("update_email", update("update_email", ann, f"New.{prefix}@V2.Example", then={"email": f"new.{prefix}@v2.example", "emailVerification": False}))
    c.run("update_phone", update("update_phone", ann, "+14155550199", then={"phone": "+14155550199", "phoneVerification": False}))
    c.run("update_status", update("update_status", ann, False, then={"status": False}))
    c.run("update_status: unblock", update("update_status", ann, True, then={"status": True}))
    c.run("update_email_verification", update("update_email_verification", ann, True, then={"emailVerification": True}))
    c.run("update_phone_verification", update("update_phone_verification", ann, True, then={"phoneVerification": True}))
    c.run("update_password", update("update_password", ident("md5"), "another horse battery", then={"hash": "argon2", "hashOptions": ARGON2_DEFAULT}))
    c.run("update_prefs", lambda: expect(users.update_prefs(ann, {"theme": "dark"}), {"theme": "dark"}, "update_prefs"))
    c.run("get_prefs", lambda: expect(users.get_prefs(ann), {"theme": "dark"}, "get_prefs"))

    def login():
        """A session the 1.3 way: email/password login on the Account API (the 2.0.2 SDK cannot make one)."""
        users.create(ident("sam"), mail("sam"), None, "correct horse battery", "Sam")
        for _ in range(2):
            r = requests.post(
                f"{endpoint}/account/sessions/email",
                json={"email": mail("sam"), "password": "correct horse battery"},
                headers={"X-Appwrite-Project": project, "User-Agent": CHROME_MAC, "X-Appwrite-Response-Format": "1.0.0"},
            )
            expect(r.status_code, 201, f"setup: login {r.text[:200]}")
            state.setdefault("sessions", []).append(r.json()["$id"])

    c.run("setup: two logins of a user for the session checks", login)

    def list_sessions():
        page = users.list_sessions(ident("sam"))
        expect_keys(page, ["total", "sessions"], "list_sessions")
        expect((page["total"], [s["$id"] for s in page["sessions"]]), (2, state["sessions"]), "list_sessions")
        for s in page["sessions"]:
            expect_keys(s, SESSION, "list_sessions: sessions[]")
            expect((s["userId"], s["provider"], s["providerUid"], s["current"]), (ident("sam"), "email", mail("sam"), False), "list_sessions: session")
            expect((s["osName"], s["clientName"]), ("Mac", "Chrome"), "list_sessions: parsed user agent")

    c.run("list_sessions", list_sessions)

    def delete_session():
        expect_no_content(users.delete_session(ident("sam"), state["sessions"][0]), "delete_session")
        expect([s["$id"] for s in users.list_sessions(ident("sam"))["sessions"]], state["sessions"][1:], "delete_session: list after")
        expect_error(lambda: users.delete_session(ident("sam"), state["sessions"][0]), 404, "user_session_not_found", "delete_session again")

    c.run("delete_session", delete_session)

    def delete_sessions():
        expect_no_content(users.delete_sessions(ident("sam")), "delete_sessions")
        expect(users.list_sessions(ident("sam")), {"total": 0, "sessions": []}, "delete_sessions: list after")

    c.run("delete_sessions", delete_sessions)

    def list_memberships():
        teams = Teams(client)
        team = teams.create(ident("team"), "V2 Team")
        teams.create_membership(team["$id"], ["member"], "https://example.com/join", user_id=ident("sam"))
        page = users.list_memberships(ident("sam"))
        expect_keys(page, ["total", "memberships"], "list_memberships")
        expect(page["total"], 1, "list_memberships: total")
        m = page["memberships"][0]
        expect_keys(m, MEMBERSHIP, "list_memberships: memberships[]")
        got = (m["userId"], m["userName"], m["userEmail"], m["teamId"], m["teamName"], m["confirm"], m["roles"])
        expect(got, (ident("sam"), "Sam", mail("sam"), team["$id"], "V2 Team", True, ["member"]), "list_memberships: membership")

    c.run("list_memberships", list_memberships)

    def list_logs():
        page = users.list_logs(ann)
        expect_keys(page, ["total", "logs"], "list_logs")
        expect_true(len(page["logs"]) >= 3, f"list_logs: expected the updates of ann, got {len(page['logs'])} entries")
        for log in page["logs"]:
            expect_keys(log, LOG, "list_logs: logs[]")
            expect_date(log["time"], "list_logs: time")
        events = [log["event"] for log in page["logs"]]
        expect_true("user.update" in events and "verification.update" in events, f"list_logs: events {events}")
        expect(len(users.list_logs(ann, [Query.limit(1)])["logs"]), 1, "list_logs: limit(1)")

    c.run("list_logs", list_logs)

    def delete():
        expect_no_content(users.delete(ident("bcrypt")), "delete")
        expect_error(lambda: users.get(ident("bcrypt")), 404, "user_not_found", "get after delete")
        expect_error(lambda: users.delete(ident("bcrypt")), 404, "user_not_found", "delete again")

    c.run("delete", delete)
    c.finish()


if __name__ == "__main__":
    main()
