"""The accessible web chat at `/chat`: plain HTML forms first, a little JavaScript on top."""
