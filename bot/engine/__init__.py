"""The pure conversation engine: state + one inbound message in, new state + reply + events out.

No I/O, no clock reads, no randomness: the host passes everything in a `Context` and applies the
returned events in one transaction. See `engine.handle`.
"""
