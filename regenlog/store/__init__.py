"""Storage: the SQLite database, its migrations, the attachment store and backups."""
