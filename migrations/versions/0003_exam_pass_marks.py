"""Each exam records the pass marks in force when it was scheduled.

Every verdict (grid, statistics, the trainee's pages, the next step, the retraining list,
certificates, the report) is taken with the exam's own marks, so changing PASS_MARK_THEORY or
PASS_MARK_PRACTICAL affects exams scheduled afterwards only. Existing exams are backfilled with the
settings in force when this migration runs (the marks their stored verdicts were computed with).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 04:00:00

"""
from alembic import op
import sqlalchemy as sa

from traincenter import settings


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('exam', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pass_mark_theory', sa.Numeric(precision=4, scale=1, asdecimal=False), nullable=True))
        batch_op.add_column(sa.Column('pass_mark_practical', sa.Numeric(precision=4, scale=1, asdecimal=False), nullable=True))
    marks = settings.pass_marks()
    exam = sa.table('exam', sa.column('pass_mark_theory'), sa.column('pass_mark_practical'))
    op.execute(exam.update().values(pass_mark_theory=marks.theory,
                                    pass_mark_practical=marks.practical))
    with op.batch_alter_table('exam', schema=None) as batch_op:
        batch_op.alter_column('pass_mark_theory', existing_type=sa.Numeric(precision=4, scale=1, asdecimal=False), nullable=False)
        batch_op.alter_column('pass_mark_practical', existing_type=sa.Numeric(precision=4, scale=1, asdecimal=False), nullable=False)
        batch_op.create_check_constraint(op.f('ck_exam_pass_mark_theory_range'), 'pass_mark_theory >= 0 AND pass_mark_theory <= 100')
        batch_op.create_check_constraint(op.f('ck_exam_pass_mark_practical_range'), 'pass_mark_practical >= 0 AND pass_mark_practical <= 100')


def downgrade():
    with op.batch_alter_table('exam', schema=None) as batch_op:
        batch_op.drop_constraint('ck_exam_pass_mark_practical_range', type_='check')
        batch_op.drop_constraint('ck_exam_pass_mark_theory_range', type_='check')
        batch_op.drop_column('pass_mark_practical')
        batch_op.drop_column('pass_mark_theory')
