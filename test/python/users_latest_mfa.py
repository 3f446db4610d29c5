"""MFA factors, recovery codes, authenticators and challenges, identities and passkeys of
users_sdk_latest_all.py (users-latest.md §1)."""
import re

from appwrite.enums.authenticator_type import AuthenticatorType
from appwrite.models.identity_list import IdentityList
from appwrite.models.mfa_factors import MfaFactors
from appwrite.models.mfa_recovery_codes import MfaRecoveryCodes
from appwrite.models.passkey_list import PasskeyList

from sdk_checks import LAST, expect, expect_error, expect_not_found, expect_true

CODE = re.compile(r"^[0-9a-f]{10}$")


def run(ctx):
    c, users = ctx.checks, ctx.users
    mia = ctx.id("mia")
    state = {}

    c.run("setup: a user for the MFA checks", lambda: ctx.user("mia", phone="+14155560123", name="Mia"))

    def factors():
        f = users.list_mfa_factors(mia)
        expect_true(isinstance(f, MfaFactors), f"list_mfa_factors: not parsed into MfaFactors: {type(f).__name__}")
        c.strict(MfaFactors, ctx.raw, "list_mfa_factors")
        picked = {k: ctx.raw.get(k) for k in ("totp", "phone", "email", "recoveryCode")}
        expect(picked, {"totp": False, "phone": False, "email": False, "recoveryCode": False}, "list_mfa_factors: nothing verified")
        users.update_email_verification(mia, True)
        users.update_phone_verification(mia, True)
        f = users.list_mfa_factors(mia)
        expect((f.totp, f.phone, f.email), (False, True, True), "list_mfa_factors: verified email and phone")

    c.run("list_mfa_factors", factors)

    def codes_model(result, what, status):
        expect_true(isinstance(result, MfaRecoveryCodes), f"{what}: not parsed into MfaRecoveryCodes: {type(result).__name__}")
        c.strict(MfaRecoveryCodes, ctx.raw, what)
        expect(LAST["status"], status, f"{what}: status")
        codes = result.recoverycodes
        expect_true(len(codes) == 6 and all(isinstance(x, str) and CODE.match(x) for x in codes), f"{what}: expected 6 codes of 10 hex chars, got {codes!r}")
        return codes

    c.run(
        "get_mfa_recovery_codes: none yet → 404",
        lambda: expect_error(lambda: users.get_mfa_recovery_codes(mia), 404, "user_recovery_codes_not_found", "get before create"),
    )
    c.run(
        "update_mfa_recovery_codes: none yet → 404",
        lambda: expect_error(lambda: users.update_mfa_recovery_codes(mia), 404, "user_recovery_codes_not_found", "update before create"),
    )

    def create_codes():
        state["codes"] = codes_model(users.create_mfa_recovery_codes(mia), "create_mfa_recovery_codes", 201)

    c.run("create_mfa_recovery_codes", create_codes)
    c.run(
        "create_mfa_recovery_codes: again → 409",
        lambda: expect_error(lambda: users.create_mfa_recovery_codes(mia), 409, "user_recovery_codes_already_exists", "create twice"),
    )

    def get_codes():
        expect(codes_model(users.get_mfa_recovery_codes(mia), "get_mfa_recovery_codes", 200), state["codes"], "get_mfa_recovery_codes: the created codes")

    c.run("get_mfa_recovery_codes", get_codes)

    def update_codes():
        fresh = codes_model(users.update_mfa_recovery_codes(mia), "update_mfa_recovery_codes", 200)
        expect_true(fresh != state["codes"], "update_mfa_recovery_codes: new codes expected")
        expect(users.get_mfa_recovery_codes(mia).recoverycodes, fresh, "update_mfa_recovery_codes: get shows the new codes")

    c.run("update_mfa_recovery_codes", update_codes)
    c.run(
        "delete_mfa_authenticator: no totp → 404",
        lambda: expect_error(lambda: users.delete_mfa_authenticator(mia, AuthenticatorType.TOTP), 404, "user_authenticator_not_found", "delete_mfa_authenticator(totp)"),
    )
    c.run(
        "delete_mfa_authenticator: unknown user → 404",
        lambda: expect_error(lambda: users.delete_mfa_authenticator(ctx.id("nobody"), AuthenticatorType.TOTP), 404, "user_not_found", "delete_mfa_authenticator(unknown user)"),
    )
    c.run("get_mfa_challenge: unknown → 404", lambda: expect_not_found(lambda: users.get_mfa_challenge(mia, "nochallenge"), "get_mfa_challenge(unknown)"))

    def list_identities():
        page = users.list_identities()
        expect_true(isinstance(page, IdentityList), f"list_identities: not parsed into IdentityList: {type(page).__name__}")
        c.strict(IdentityList, ctx.raw, "list_identities")
        expect(ctx.raw, {"total": 0, "identities": []}, "list_identities")
        expect(users.list_identities(total=False).total, 0, "list_identities(total=False)")

    c.run("list_identities", list_identities)
    c.run(
        "delete_identity: unknown → 404",
        lambda: expect_error(lambda: users.delete_identity("noidentity"), 404, "user_identity_not_found", "delete_identity(unknown)"),
    )

    def list_passkeys():
        page = users.list_passkeys(mia)
        expect_true(isinstance(page, PasskeyList), f"list_passkeys: not parsed into PasskeyList: {type(page).__name__}")
        c.strict(PasskeyList, ctx.raw, "list_passkeys")
        expect(ctx.raw, {"total": 0, "passkeys": []}, "list_passkeys")

    c.run("list_passkeys", list_passkeys)
    for method, call in (
        ("get_passkey", lambda: users.get_passkey(mia, "nopasskey")),
        ("update_passkey", lambda: users.update_passkey(mia, "nopasskey", "Laptop")),
        ("delete_passkey", lambda: users.delete_passkey(mia, "nopasskey")),
    ):
        c.run(f"{method}: unknown → 404", lambda call=call, method=method: expect_error(call, 404, "user_passkey_not_found", f"{method}(unknown)"))

