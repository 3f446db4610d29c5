"""Sessions, tokens, JWTs and memberships of users_sdk_latest_all.py (sessions-and-teams.md §2, §4)."""
import base64
import json
import time

from appwrite.client import Client
from appwrite.models.jwt import Jwt
from appwrite.models.membership_list import MembershipList
from appwrite.models.session import Session
from appwrite.models.session_list import SessionList
from appwrite.models.token import Token
from appwrite.services.account import Account
from appwrite.services.teams import Teams

from sdk_checks import (
    HEX,
    LAST,
    decode_jwt,
    expect,
    expect_date,
    expect_error,
    expect_no_content,
    expect_true,
    seconds_from_now,
)

YEAR = 31_536_000


def run(ctx):
    c, users = ctx.checks, ctx.users
    sam = ctx.id("sam")
    state = {}

    def setup():
        ctx.user("sam", password="correct horse battery", name="Sam")

    c.run("setup: a user for the session checks", setup)

    def create_session():
        s = users.create_session(sam)
        expect_true(isinstance(s, Session), f"create_session: not parsed into Session: {type(s).__name__}")
        c.strict(Session, ctx.raw, "create_session")
        expect(LAST["status"], 201, "create_session: status")
        expect((s.userid, s.provider, s.factors, s.current), (sam, "server", ["server"], False), "create_session")
        expect_date(s.createdat, "create_session: $createdAt")
        expect_true(abs(seconds_from_now(s.expire) - YEAR) < 120, f"create_session: expire {s.expire} is not one year ahead")
        state["session"], state["secret"] = s.id, s.secret

    c.run("create_session", create_session)

    def session_secret():
        """1.7+: the secret is the encoded cookie value base64(JSON {id, secret}) (1.5–1.6: the raw 256 hex)."""
        secret = state["secret"]
        try:
            cookie = json.loads(base64.b64decode(secret, validate=True))
        except ValueError as err:
            form = "the raw 256-hex secret of 1.5-1.6" if HEX.match(secret) and len(secret) == 256 else repr(secret[:60])
            raise AssertionError(f"create_session: secret is not base64(JSON {{id, secret}}) but {form} ({err})") from err
        expect(cookie.get("id"), sam, "create_session: secret's id (the user's id)")
        expect_true(HEX.match(cookie.get("secret", "")) and len(cookie["secret"]) == 256, "create_session: secret's secret is 256 hex chars")

    c.run("create_session: secret is the encoded cookie value (1.7+)", session_secret)

    def list_sessions():
        page = users.list_sessions(sam)
        expect_true(isinstance(page, SessionList), f"list_sessions: not parsed into SessionList: {type(page).__name__}")
        c.strict(SessionList, ctx.raw, "list_sessions")
        expect((page.total, [s.id for s in page.sessions]), (1, [state.get("session")]), "list_sessions")
        expect((page.sessions[0].current, page.sessions[0].provider), (False, "server"), "list_sessions: current, provider")
        expect(users.list_sessions(sam, total=False).total, 0, "list_sessions(total=False): total")

    c.run("list_sessions", list_sessions)

    def session_authenticates():
        me = Account(Client().set_endpoint(ctx.endpoint).set_project(ctx.project).set_session(state["secret"])).get()
        expect(me.id, sam, "create_session: X-Appwrite-Session authenticates GET /v1/account")

    c.run("create_session: its secret authenticates", session_authenticates)

    def create_token():
        t = users.create_token(sam)
        expect_true(isinstance(t, Token), f"create_token: not parsed into Token: {type(t).__name__}")
        c.strict(Token, ctx.raw, "create_token")
        expect(LAST["status"], 201, "create_token: status")
        expect((t.userid, len(t.secret), bool(HEX.match(t.secret)), t.phrase), (sam, 6, True, ""), "create_token: default length 6, phrase ''")
        expect_true(abs(seconds_from_now(t.expire) - 900) < 60, f"create_token: expire {t.expire} is not 900 s ahead")
        t8 = users.create_token(sam, length=8, expire=120)
        expect((len(t8.secret), bool(HEX.match(t8.secret))), (8, True), "create_token(length=8): secret")
        expect_true(abs(seconds_from_now(t8.expire) - 120) < 60, f"create_token(expire=120): expire {t8.expire}")

    c.run("create_token", create_token)

    def create_jwt():
        j = users.create_jwt(sam, session_id=state["session"], duration=60)
        expect_true(isinstance(j, Jwt), f"create_jwt: not parsed into Jwt: {type(j).__name__}")
        c.strict(Jwt, ctx.raw, "create_jwt")
        expect(LAST["status"], 201, "create_jwt: status")
        claims = decode_jwt(j.jwt)
        expect((claims.get("userId"), claims.get("sessionId")), (sam, state["session"]), "create_jwt: claims")
        expect_true(abs(claims.get("exp", 0) - time.time() - 60) < 60, f"create_jwt: exp {claims.get('exp')} is not 60 s ahead")
        recent = decode_jwt(users.create_jwt(sam, session_id="recent").jwt)
        expect(recent.get("sessionId"), state["session"], "create_jwt(session_id='recent'): the newest session")
        me = Account(Client().set_endpoint(ctx.endpoint).set_project(ctx.project).set_jwt(j.jwt)).get()
        expect(me.id, sam, "create_jwt: X-Appwrite-JWT authenticates GET /v1/account")

    c.run("create_jwt", create_jwt)
    c.run(
        "create_session: unknown user → 404",
        lambda: expect_error(lambda: users.create_session(ctx.id("nobody")), 404, "user_not_found", "create_session(unknown)"),
    )

    def delete_session():
        expect_no_content(users.delete_session(sam, state["session"]), "delete_session")
        expect(users.list_sessions(sam).total, 0, "delete_session: list after")
        expect_error(lambda: users.delete_session(sam, state["session"]), 404, "user_session_not_found", "delete_session again")

    c.run("delete_session", delete_session)

    def delete_sessions():
        users.create_session(sam)
        users.create_session(sam)
        expect_no_content(users.delete_sessions(sam), "delete_sessions")
        expect(users.list_sessions(sam).total, 0, "delete_sessions: list after")
        expect_no_content(users.delete_sessions(sam), "delete_sessions without sessions")

    c.run("delete_sessions", delete_sessions)

    def list_memberships():
        teams = Teams(ctx.client)
        team = teams.create(ctx.id("team"), "Latest Team")
        teams.create_membership(team.id, ["member"], user_id=sam)
        page = users.list_memberships(sam)
        expect_true(isinstance(page, MembershipList), f"list_memberships: not parsed into MembershipList: {type(page).__name__}")
        c.strict(MembershipList, ctx.raw, "list_memberships")
        expect(page.total, 1, "list_memberships: total")
        m = page.memberships[0]
        got = (m.userid, m.username, m.useremail, m.teamid, m.teamname, m.confirm, m.roles, m.mfa)
        expect(got, (sam, "Sam", ctx.email("sam"), team.id, "Latest Team", True, ["member"], False), "list_memberships: membership")
        expect_date(m.joined, "list_memberships: joined")
        expect(users.list_memberships(sam, total=False).total, 0, "list_memberships(total=False): total")

    c.run("list_memberships", list_memberships)
