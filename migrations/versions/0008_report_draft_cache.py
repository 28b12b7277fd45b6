"""The annual report: the staff's draft text, its frozen copy, the figure cache and the data version.

- ``report_draft``: the prose sections staff write for a year's report (one row per year, with a
  version for compare-and-swap saves);
- ``report_snapshot.narrative``: the text frozen with the figures when the year is finalised
  (NULL for reports finalised before this revision: they had no text);
- ``report_cache``: computed figures per year and as-of date, valid for one data version;
- ``data_version``: one row, moved on by every committed write to the data the report reads;
  it starts at 0.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 04:25:04

"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('data_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_version'))
    )
    op.create_table('report_cache',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('data_version', sa.Integer(), nullable=False),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.Column('computed_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_cache')),
    sa.UniqueConstraint('year', 'as_of', name=op.f('uq_report_cache_year_as_of'))
    )
    op.create_table('report_draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('texts', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_report_draft_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_draft')),
    sa.UniqueConstraint('year', name=op.f('uq_report_draft_year'))
    )
    with op.batch_alter_table('report_snapshot', schema=None) as batch_op:
        batch_op.add_column(sa.Column('narrative', sa.JSON(), nullable=True))
    version = sa.table('data_version', sa.column('id', sa.Integer()), sa.column('version', sa.Integer()),
                       sa.column('changed_at', sa.DateTime()))
    op.bulk_insert(version, [{'id': 1, 'version': 0, 'changed_at': datetime.now(UTC).replace(tzinfo=None)}])


def downgrade():
    with op.batch_alter_table('report_snapshot', schema=None) as batch_op:
        batch_op.drop_column('narrative')

    op.drop_table('report_draft')
    op.drop_table('report_cache')
    op.drop_table('data_version')
