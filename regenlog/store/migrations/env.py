"""Alembic environment: always run from code with a connection handed over by the store."""

from alembic import context

from regenlog.core.models import metadata
from regenlog.store.schema import is_model_table

config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite alters tables by copying them: batch mode does that
    compare_type=True,
    include_name=lambda name, kind, _parent: kind != "table" or is_model_table(name),
)
with context.begin_transaction():
    context.run_migrations()
