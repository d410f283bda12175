"""Question packs: the YAML format, its validation and loading."""
