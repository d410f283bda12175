"""Storage: SQLAlchemy models, queries, privacy and migrations. Imports nothing from bot/ or channels/."""
