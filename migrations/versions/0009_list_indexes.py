"""An index for the trainee registry's order (newest first): a page of the roster is read from
the index instead of sorting every trainee (issue 15: 42 ms → under 1 ms at 20,000 trainees on
SQLite, whatever the page).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 07:20:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('trainee', schema=None) as batch_op:
        batch_op.create_index('ix_trainee_created_at_id', ['created_at', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('trainee', schema=None) as batch_op:
        batch_op.drop_index('ix_trainee_created_at_id')
