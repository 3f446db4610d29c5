"""Messaging targets of users_sdk_latest_all.py (users-latest.md §1: targets, and a user's email and
phone listed as targets)."""
from appwrite.enums.messaging_provider_type import MessagingProviderType
from appwrite.models.target import Target
from appwrite.models.target_list import TargetList

from sdk_checks import LAST, expect, expect_date, expect_error, expect_no_content, expect_true

EMAIL, SMS, PUSH = MessagingProviderType.EMAIL, MessagingProviderType.SMS, MessagingProviderType.PUSH


def run(ctx):
    c, users = ctx.checks, ctx.users
    tom = ctx.id("tom")

    c.run("setup: a user for the target checks", lambda: ctx.user("tom", phone="+14155560177", name="Tom"))

    def target(t, what, status=200):
        expect_true(isinstance(t, Target), f"{what}: not parsed into Target: {type(t).__name__}")
        c.strict(Target, ctx.raw, what)
        expect(LAST["status"], status, f"{what}: status")
        expect_date(t.createdat, f"{what}: $createdAt")
        expect((t.userid, t.expired), (tom, False), f"{what}: userId, expired")
        return t

    def create_target():
        t = target(users.create_target(tom, "mail-1", EMAIL, "tom.work@latest.example", name="Work mail"), "create_target(email)", 201)
        expect((t.id, t.providertype, t.identifier, t.name), ("mail-1", "email", "tom.work@latest.example", "Work mail"), "create_target(email)")
        t = target(users.create_target(tom, "sms-1", SMS, "+14155560178"), "create_target(sms)", 201)
        expect((t.providertype, t.identifier), ("sms", "+14155560178"), "create_target(sms)")
        t = target(users.create_target(tom, "push-1", PUSH, "fcm-device-token-1", name="Phone"), "create_target(push)", 201)
        expect((t.providertype, t.identifier), ("push", "fcm-device-token-1"), "create_target(push)")

    c.run("create_target", create_target)
    c.run(
        "create_target: same id → 409",
        lambda: expect_error(lambda: users.create_target(tom, "mail-1", EMAIL, "tom.other@latest.example"), 409, "user_target_already_exists", "create_target twice"),
    )
    c.run(
        "create_target: invalid email → 400",
        lambda: expect_error(lambda: users.create_target(tom, "mail-bad", EMAIL, "not-an-email"), 400, "general_invalid_email", "create_target(email, 'not-an-email')"),
    )
    c.run(
        "create_target: invalid phone → 400",
        lambda: expect_error(lambda: users.create_target(tom, "sms-bad", SMS, "5550178"), 400, "general_invalid_phone", "create_target(sms, '5550178')"),
    )

    def get_target():
        t = target(users.get_target(tom, "mail-1"), "get_target")
        expect((t.id, t.identifier, t.name), ("mail-1", "tom.work@latest.example", "Work mail"), "get_target")

    c.run("get_target", get_target)
    c.run("get_target: unknown → 404", lambda: expect_error(lambda: users.get_target(tom, "nope"), 404, "user_target_not_found", "get_target(unknown)"))

    def update_target():
        t = target(users.update_target(tom, "mail-1", identifier="tom.home@latest.example", name="Home mail"), "update_target")
        expect((t.identifier, t.name, t.providertype), ("tom.home@latest.example", "Home mail", "email"), "update_target")
        expect(users.get_target(tom, "mail-1").identifier, "tom.home@latest.example", "update_target: get after")

    c.run("update_target", update_target)
    c.run(
        "update_target: unknown → 404",
        lambda: expect_error(lambda: users.update_target(tom, "nope", name="x"), 404, "user_target_not_found", "update_target(unknown)"),
    )

    def list_targets():
        page = users.list_targets(tom)
        expect_true(isinstance(page, TargetList), f"list_targets: not parsed into TargetList: {type(page).__name__}")
        c.strict(TargetList, ctx.raw, "list_targets")
        pairs = sorted((t.providertype, t.identifier) for t in page.targets)
        for want in [("email", ctx.email("tom")), ("sms", "+14155560177"), ("email", "tom.home@latest.example"), ("sms", "+14155560178"), ("push", "fcm-device-token-1")]:
            expect_true(want in pairs, f"list_targets: {want} not listed in {pairs}")
        expect(page.total, len(page.targets), "list_targets: total")
        expect(users.list_targets(tom, total=False).total, 0, "list_targets(total=False): total")

    c.run("list_targets", list_targets)

    def user_shows_targets():
        u = users.get(tom)
        pairs = sorted((t.providertype, t.identifier) for t in u.targets)
        expect_true(("email", ctx.email("tom")) in pairs and ("push", "fcm-device-token-1") in pairs, f"get: user.targets {pairs}")

    c.run("get: user.targets lists the targets", user_shows_targets)

    def email_target_follows():
        users.update_email(tom, ctx.email("tom-new"))
        pairs = [(t.providertype, t.identifier) for t in users.list_targets(tom).targets]
        expect_true(("email", ctx.email("tom-new")) in pairs and ("email", ctx.email("tom")) not in pairs, f"update_email: the email target follows the email: {pairs}")
        users.update_email(tom, "")
        pairs = [(t.providertype, t.identifier) for t in users.list_targets(tom).targets]
        expect_true(("email", ctx.email("tom-new")) not in pairs, f"update_email(''): the email target goes with the email: {pairs}")

    c.run("update_email: the email target follows", email_target_follows)

    def delete_target():
        expect_no_content(users.delete_target(tom, "push-1"), "delete_target")
        expect_error(lambda: users.get_target(tom, "push-1"), 404, "user_target_not_found", "get_target after delete")
        expect_error(lambda: users.delete_target(tom, "push-1"), 404, "user_target_not_found", "delete_target again")

    c.run("delete_target", delete_target)
