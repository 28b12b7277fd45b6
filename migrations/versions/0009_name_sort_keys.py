"""Names order by pinyin: a stored sort key beside each name that lists order by.

- ``trainee.name_sort`` (from ``name``) and ``user.name_sort`` (from ``display_name``): the key of
  ``rules.name_sort_key`` (pypinyin, surnames read as surnames: 单 shan, 曾 zeng …), ASCII letters
  and digits only, so SQLite and PostgreSQL order it alike; indexed for the paged lists.
- Existing rows are filled here with the same rule the models use on every insert and rename.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 07:20:00

"""
from alembic import op
import sqlalchemy as sa

from traincenter.rules.names import NAME_SORT_KEY_LENGTH, name_sort_key


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

TABLES = (("trainee", "name"), ("user", "display_name"))
BATCH = 1000


def upgrade():
    for table, _ in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('name_sort', sa.String(length=NAME_SORT_KEY_LENGTH),
                                          server_default='', nullable=False))
            batch_op.create_index(batch_op.f(f'ix_{table}_name_sort'), ['name_sort'], unique=False)
    connection = op.get_bind()
    for table, column in TABLES:
        rows = sa.table(table, sa.column('id', sa.Integer), sa.column(column, sa.String),
                        sa.column('name_sort', sa.String))
        update = (rows.update().where(rows.c.id == sa.bindparam('row_id'))
                  .values(name_sort=sa.bindparam('key')))
        names = connection.execute(sa.select(rows.c.id, rows.c[column])).all()
        for start in range(0, len(names), BATCH):
            connection.execute(update, [{'row_id': row_id, 'key': name_sort_key(name or '')}
                                        for row_id, name in names[start:start + BATCH]])


def downgrade():
    for table, _ in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_name_sort'))
            batch_op.drop_column('name_sort')
