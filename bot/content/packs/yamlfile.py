"""Reading the small YAML files in `prompts/`, and where the shipped ones live."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

# The `prompts` package sits beside `bot` (in the checkout and in site-packages alike). Found by path
# rather than by import, so a folder called prompts elsewhere on sys.path cannot stand in for it.
SHIPPED_PROMPTS = Path(__file__).resolve().parents[3] / "prompts"


def has_c_parser() -> bool:
    """Whether ruamel.yaml.clib (libyaml's C parser, a dependency) is installed."""
    try:
        import _ruamel_yaml  # noqa: F401 - only asking whether it is there
    except ImportError:
        return False
    return True


def load_fast(text: str) -> Any:
    """Plain data from YAML text, parsed by libyaml's C parser where it is installed (3-4 times faster).

    The prompts folder is read at every start. Values resolve as with ruamel's own parser (same YAML 1.2
    rules: `no` stays a word); libyaml is stricter about a few odd spellings (a `:` inside [a, b]), so any
    text it refuses is read again by ruamel's pure Python parser, whose answer or error is the one given."""
    if has_c_parser():
        try:
            return YAML(typ="safe").load(text)
        except YAMLError:
            pass
    return YAML(typ="safe", pure=True).load(text)


def read_yaml(path: Path) -> Any:
    """Plain Python data from a YAML file; a syntax error becomes a ValueError naming file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ValueError(f"{path}: cannot be read ({error.strerror})") from None
    try:
        return load_fast(text)
    except MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else 1
        what = error.problem or error.context
        raise ValueError(f"{path}:{line}: YAML: {what} — check the quotes and indents") from None
    except YAMLError as error:
        raise ValueError(f"{path}: YAML: {error}") from None


def merged(base: Any, override: Any) -> Any:
    """`override` laid over `base`: mappings merge key by key, anything else is replaced."""
    if isinstance(base, dict) and isinstance(override, dict):
        out = dict(base)
        for key, value in override.items():
            out[key] = merged(base.get(key), value) if key in base else value
        return out
    return override
