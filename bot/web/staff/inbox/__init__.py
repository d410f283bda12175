"""The staff inbox: cases people opened by writing, answered through the bot."""
