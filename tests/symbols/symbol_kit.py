"""Shared bits for the symbol tests, imported by name (pytest puts tests/symbols on sys.path)."""

# A small square picture of our own: a blue square on a clear background.
OWN_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
    b'<rect x="2" y="2" width="6" height="6" fill="#0000ff"/></svg>'
)
