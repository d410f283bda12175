"""People who want to help shape the service: staff see pseudonyms only, and invite them through the bot."""

from __future__ import annotations

import pytest
from loop_kit import STAFF, LoopWorld, Seeder

from bot.loop.loop import LoopProblem
from storage.loop.tables import LoopContact

INVITATION = {"en": "We are planning a new clinic. We would like your ideas."}
NEXT_STEP = {"en": "Please phone Sam on 01632 960123 from Monday to Friday."}


async def _volunteers(world: LoopWorld) -> dict[str, int]:
    seed = Seeder(world)
    return {
        "sms_yes": await seed.person("+447700900601", pack_id="parent_carer", question_id="involvement", value="yes",
                                     hear_back=None, consents=("involvement",)),
        "sms_no": await seed.person("+447700900602", pack_id="parent_carer", question_id="involvement", value="yes",
                                    hear_back=None, consents=("involvement",)),
        "telegram": await seed.person("5550601", channel="telegram", pack_id="parent_carer",
                                      question_id="involvement", value="yes", hear_back=None,
                                      consents=("involvement",)),
        "not_asked": await seed.person("+447700900604", hear_back=None),
    }


async def test_staff_see_pseudonym_pack_date_and_channel_never_an_address(world: LoopWorld):
    ids = await _volunteers(world)
    people, total = await world.loop.involved()
    assert total == 3
    assert {p.participant_id for p in people} == {ids["sms_yes"], ids["sms_no"], ids["telegram"]}
    for person in people:
        assert len(person.pseudonym) == 10 and "7700" not in person.pseudonym
        assert person.pack_id == "parent_carer"
        assert person.since == world.clock.now.date()
        assert "+44" not in repr(person) and "5550601" not in repr(person)
    assert {p.channel for p in people} == {"sms", "telegram"}


async def test_yes_to_an_invitation_puts_the_person_through_to_the_next_step(world: LoopWorld):
    ids = await _volunteers(world)
    invitation_id, plan, _ = await world.loop.invite(
        texts=INVITATION, next_step=NEXT_STEP, participant_ids=None, actor=STAFF
    )
    assert plan.per_channel == {"sms": 2, "telegram": 1}
    await world.deliver()
    [sms] = await world.texts_to("+447700900601")
    assert "We are planning a new clinic." in sms and "Would you like to take part?" in sms

    replies = await world.sms("+447700900601", "YES")
    assert "Please phone Sam on 01632 960123 from Monday to Friday." in replies[0]
    replies = await world.sms("+447700900602", "No thanks")
    assert "That is fine." in replies[0]
    person = world.person(5550601)
    await world.post_telegram(person.taps("Yes"))
    assert "Please phone Sam on 01632 960123 from Monday to Friday." in world.telegram.texts(5550601)[-1]

    answers = {r.participant_id: r.answer for r in await world.rows(LoopContact.participant_id, LoopContact.answer)}
    assert answers == {ids["sms_yes"]: "yes", ids["sms_no"]: "no", ids["telegram"]: "yes"}
    [invitation] = await world.loop.store.invitations()
    assert (invitation.id, invitation.invited, invitation.answers) == (invitation_id, 3, {"yes": 2, "no": 1})


async def test_an_invitation_can_go_to_chosen_people_only(world: LoopWorld):
    ids = await _volunteers(world)
    _, plan, _ = await world.loop.invite(
        texts=INVITATION, next_step=NEXT_STEP, participant_ids=[ids["telegram"], ids["not_asked"]], actor=STAFF
    )
    assert plan.per_channel == {"telegram": 1}  # someone who did not say yes is never invited


async def test_an_invitation_in_hard_words_is_refused(world: LoopWorld):
    await _volunteers(world)
    with pytest.raises(LoopProblem):
        await world.loop.invite(
            texts={"en": "We're convening a multidisciplinary stakeholder consultation regarding reconfiguration."},
            next_step=NEXT_STEP, participant_ids=None, actor=STAFF,
        )
