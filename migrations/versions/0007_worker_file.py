"""The worker's file: the trainee's photo, background checks, liability insurance, the fee ledger.

- ``trainee.photo_file``/``photo_updated_at``: the name of the normalised passport photo in the
  photo folder (instance/photos, outside the web root).
- ``background_check`` (背景核查) and ``insurance_policy`` (从业责任保险): once recorded, they count
  toward the green / yellow / red fitness for duty.
- ``fee_entry``: payments, refunds and waivers per enrolment, append-only (a correction is a
  reversal); ``(receipt_year, receipt_sequence)`` is unique so receipt numbers never repeat, and
  ``reverses_id`` is unique so an entry is reversed at most once.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 04:24:16.341989

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('background_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('trainee_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('checked_on', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('reference', sa.String(length=64), nullable=True),
    sa.Column('issuer', sa.String(length=100), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('pending','passed','failed')", name=op.f('ck_background_check_status')),
    sa.CheckConstraint('valid_until IS NULL OR valid_until >= checked_on', name=op.f('ck_background_check_valid_after_check')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_background_check_recorded_by_id_user')),
    sa.ForeignKeyConstraint(['trainee_id'], ['trainee.id'], name=op.f('fk_background_check_trainee_id_trainee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_background_check'))
    )
    with op.batch_alter_table('background_check', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_background_check_trainee_id'), ['trainee_id'], unique=False)

    op.create_table('insurance_policy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('trainee_id', sa.Integer(), nullable=False),
    sa.Column('insurer', sa.String(length=100), nullable=False),
    sa.Column('policy_number', sa.String(length=64), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('expires_on >= starts_on', name=op.f('ck_insurance_policy_expiry_after_start')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_insurance_policy_recorded_by_id_user')),
    sa.ForeignKeyConstraint(['trainee_id'], ['trainee.id'], name=op.f('fk_insurance_policy_trainee_id_trainee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_insurance_policy')),
    sa.UniqueConstraint('trainee_id', 'policy_number', name=op.f('uq_insurance_policy_trainee_id_policy_number'))
    )
    with op.batch_alter_table('insurance_policy', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_insurance_policy_expires_on'), ['expires_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_insurance_policy_trainee_id'), ['trainee_id'], unique=False)

    op.create_table('fee_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('amount', sa.Numeric(precision=10, scale=2, asdecimal=False), nullable=False),
    sa.Column('credit', sa.Numeric(precision=10, scale=2, asdecimal=False), nullable=False),
    sa.Column('payer', sa.String(length=16), nullable=True),
    sa.Column('payer_name', sa.String(length=100), nullable=True),
    sa.Column('method', sa.String(length=16), nullable=True),
    sa.Column('happened_on', sa.Date(), nullable=False),
    sa.Column('receipt_year', sa.Integer(), nullable=False),
    sa.Column('receipt_sequence', sa.Integer(), nullable=False),
    sa.Column('reverses_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('payment','refund','waiver')", name=op.f('ck_fee_entry_kind')),
    sa.CheckConstraint("method IS NULL OR method IN ('cash','wechat','alipay','bank_transfer')", name=op.f('ck_fee_entry_method')),
    sa.CheckConstraint("payer IS NULL OR payer IN ('self','subsidy','employer')", name=op.f('ck_fee_entry_payer')),
    sa.CheckConstraint('amount > 0', name=op.f('ck_fee_entry_amount_positive')),
    sa.CheckConstraint('credit = amount OR credit = -amount', name=op.f('ck_fee_entry_credit_is_amount')),
    sa.CheckConstraint('receipt_sequence >= 1', name=op.f('ck_fee_entry_receipt_sequence_positive')),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolment.id'], name=op.f('fk_fee_entry_enrolment_id_enrolment')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_fee_entry_recorded_by_id_user')),
    sa.ForeignKeyConstraint(['reverses_id'], ['fee_entry.id'], name=op.f('fk_fee_entry_reverses_id_fee_entry')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fee_entry')),
    sa.UniqueConstraint('receipt_year', 'receipt_sequence', name='uq_fee_entry_receipt'),
    sa.UniqueConstraint('reverses_id', name='uq_fee_entry_reverses')
    )
    with op.batch_alter_table('fee_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fee_entry_enrolment_id'), ['enrolment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fee_entry_happened_on'), ['happened_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_fee_entry_recorded_at'), ['recorded_at'], unique=False)

    with op.batch_alter_table('trainee', schema=None) as batch_op:
        batch_op.add_column(sa.Column('photo_file', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('photo_updated_at', sa.DateTime(), nullable=True))



def downgrade():
    with op.batch_alter_table('trainee', schema=None) as batch_op:
        batch_op.drop_column('photo_updated_at')
        batch_op.drop_column('photo_file')

    with op.batch_alter_table('fee_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fee_entry_recorded_at'))
        batch_op.drop_index(batch_op.f('ix_fee_entry_happened_on'))
        batch_op.drop_index(batch_op.f('ix_fee_entry_enrolment_id'))

    op.drop_table('fee_entry')
    with op.batch_alter_table('insurance_policy', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_insurance_policy_trainee_id'))
        batch_op.drop_index(batch_op.f('ix_insurance_policy_expires_on'))

    op.drop_table('insurance_policy')
    with op.batch_alter_table('background_check', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_background_check_trainee_id'))

    op.drop_table('background_check')
