"""The inbox: staff answer people through the bot (words, checks, canned replies, duty notices)."""
