"""You said, we did: themes, actions, follow-ups, involvement invitations and recurring check-ins.

Modules, one concept each:
- `compose`: the neutral messages of a follow-up, an invitation and a check-in reminder;
- `spread`: when each message of a large batch goes, at the channel's rate and outside quiet hours;
- `cron`: check-in schedules as cron expressions;
- `suggest`: themes suggested for untagged comments by keywords;
- `loop`: the `Loop` service the console, the command line and the scheduler call.
Elsewhere: its words are `prompts/loop.yaml` (read by `bot.content.words`); the engine's reading of a
one-tap answer is `bot.engine.loop_reply`; `said action|theme|checkin|involvement` is
`bot.app.commands.loop`; building it from settings is `bot.app.loop`.
"""
