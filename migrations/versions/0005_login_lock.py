"""Per-account login lockout: failures in a row under each login name.

The old throttle counted failures per account name *or* per address against one small limit, so
one person's typos locked a whole classroom sharing a Wi-Fi address. The lockout now lives in
``login_lock`` (one row per login name with failures, deleted by a success or by staff); the
per-address cap counts the existing ``login_attempt`` rows separately, with a much higher limit.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 04:22:31

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_lock',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_login_lock'))
    )
    with op.batch_alter_table('login_lock', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_lock_last_failure_at'), ['last_failure_at'], unique=False)


def downgrade():
    with op.batch_alter_table('login_lock', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_lock_last_failure_at'))

    op.drop_table('login_lock')
