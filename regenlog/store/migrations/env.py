"""Alembic environment: always run from code with a connection handed over by the store."""

from alembic import context

from regenlog.core.models import metadata

config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite alters tables by copying them: batch mode does that
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
