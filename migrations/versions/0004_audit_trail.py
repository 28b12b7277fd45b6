"""The shared audit trail (audit_event), and "under review" as a lookup outcome.

audit_event keeps every correction staff make (who, when, what, on which record, why): exams
sent back, candidates removed, exam dates moved, placements and feedback deleted, tracks and
course modules created, changed or retired; and one event per exam for scheduling, submission
and publication (instead of a history row per candidate). A public lookup of a certificate
flagged for review is now logged as ``under_review`` rather than ``valid``.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 04:24:57

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=48), nullable=False),
    sa.Column('object_kind', sa.String(length=32), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=True),
    sa.Column('trainee_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_audit_event_actor_id_user')),
    sa.ForeignKeyConstraint(['trainee_id'], ['trainee.id'], name=op.f('fk_audit_event_trainee_id_trainee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_at'), ['at'], unique=False)
        batch_op.create_index('ix_audit_event_object', ['object_kind', 'object_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_trainee_id'), ['trainee_id'], unique=False)

    # Autogenerate does not see CHECK constraint changes.
    with op.batch_alter_table('verification_lookup', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_verification_lookup_outcome'), type_='check')
        batch_op.create_check_constraint(
            'outcome', "outcome IN ('valid','under_review','revoked','not_found')")


def downgrade():
    op.execute("UPDATE verification_lookup SET outcome = 'valid' WHERE outcome = 'under_review'")
    with op.batch_alter_table('verification_lookup', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_verification_lookup_outcome'), type_='check')
        batch_op.create_check_constraint('outcome', "outcome IN ('valid','revoked','not_found')")

    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_trainee_id'))
        batch_op.drop_index('ix_audit_event_object')
        batch_op.drop_index(batch_op.f('ix_audit_event_at'))
        batch_op.drop_index(batch_op.f('ix_audit_event_action'))

    op.drop_table('audit_event')
