"""You said, we did: themes, actions, follow-ups, involvement invitations and recurring check-ins.

Modules, one concept each:
- `words`: the words this feature sends and shows, per language;
- `compose`: the neutral messages of a follow-up, an invitation and a check-in reminder;
- `reply`: the engine's reading of a one-tap answer to them (👍 / 👎 / tell us more, YES / NO);
- `spread`: when each message of a large batch goes, at the channel's rate and outside quiet hours;
- `cron`: check-in schedules as cron expressions;
- `suggest`: themes suggested for untagged comments by keywords;
- `loop`: the `Loop` service the console, the command line and the scheduler call;
- `cli`: `said action …`, `said theme …`, `said checkin …`, `said involvement …`;
- `wiring`: building it all from settings, and the routes to mount.
Kept free of imports here: the engine imports `bot.loop.reply`, which must not pull in the rest.
"""
