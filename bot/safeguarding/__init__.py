"""Safeguarding: risk detection in free text, signposting, alerts to the duty team and their notices.

Detection and signposting are pure (the engine calls them); notices do I/O and run beside the engine,
never in the person's way. The phrase lists are data in `prompts/safeguarding/`, the signposting list
in `prompts/signposting.yaml`.
"""
