"""fund: donors who are registered people, cancelled projects, re-designated money

Revision ID: 0012
Revises: 0011
A donation may name the registered person who gave it (their receipt goes to them); a
cancelled project keeps its reason; a ledger entry may name the project whose earmarked
money staff re-designated to general use.
"""

from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('fund_donations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('donor_user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_fund_donations_donor_user_id_users'), 'users', ['donor_user_id'], ['id'])
    with op.batch_alter_table('fund_projects', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancel_reason', sa.Text(), nullable=True))
    with op.batch_alter_table('fund_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('project_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_fund_entries_project_id_fund_projects'), 'fund_projects', ['project_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('fund_entries', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_fund_entries_project_id_fund_projects'), type_='foreignkey')
        batch_op.drop_column('project_id')
    with op.batch_alter_table('fund_projects', schema=None) as batch_op:
        batch_op.drop_column('cancel_reason')
    with op.batch_alter_table('fund_donations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_fund_donations_donor_user_id_users'), type_='foreignkey')
        batch_op.drop_column('donor_user_id')
