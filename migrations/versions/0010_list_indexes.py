"""Indexes for two reads that scanned whole tables (issue 15), measured at 20,000 trainees on
SQLite:

- the trainee registry's order (newest first): a page of the roster is read from the index
  instead of sorting every trainee (42 ms → under 1 ms, whatever the page);
- the results carrying a part over from another result: saving a corrected published score
  looks them up (a scan of every result, 2 ms warm and 65 ms cold → 0.1 ms).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 07:20:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('trainee', schema=None) as batch_op:
        batch_op.create_index('ix_trainee_created_at_id', ['created_at', 'id'], unique=False)
    with op.batch_alter_table('exam_result', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exam_result_theory_carried_from_id'),
                              ['theory_carried_from_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exam_result_practical_carried_from_id'),
                              ['practical_carried_from_id'], unique=False)


def downgrade():
    with op.batch_alter_table('exam_result', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exam_result_practical_carried_from_id'))
        batch_op.drop_index(batch_op.f('ix_exam_result_theory_carried_from_id'))
    with op.batch_alter_table('trainee', schema=None) as batch_op:
        batch_op.drop_index('ix_trainee_created_at_id')
