"""the community fund and its projects

Revision ID: 0010
Revises: 0009
The fund's append-only ledger in fen with its balances per bucket, donations, disbursements
and the board's approvals, and the projects money is earmarked for.
"""

from alembic import op
import sqlalchemy as sa

import models.base


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('fund_balances',
    sa.Column('community_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=False, nullable=False),
    sa.Column('bucket', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('balance', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_fund_balances_community_id_communities')),
    sa.PrimaryKeyConstraint('community_id', 'bucket', name=op.f('pk_fund_balances'))
    )
    op.create_table('fund_counters',
    sa.Column('community_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=False, nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_fund_counters_community_id_communities')),
    sa.PrimaryKeyConstraint('community_id', 'kind', name=op.f('pk_fund_counters'))
    )
    op.create_table('fund_projects',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('community_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('status', sa.Enum('OPEN', 'TAKEN', 'ACCEPTED', 'DONE', 'CANCELLED', name='projectstatus', native_enum=False, length=20), nullable=False),
    sa.Column('created_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_fund_projects_community_id_communities')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_fund_projects_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fund_projects')),
    sa.UniqueConstraint('community_id', 'number', name=op.f('uq_fund_projects_community_id_number'))
    )
    with op.batch_alter_table('fund_projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fund_projects_community_id'), ['community_id'], unique=False)

    op.create_table('fund_disbursements',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('community_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('use', sa.Enum('EMERGENCY', 'DISASTER', 'HARDSHIP', 'ELDERLY', 'ORPHANS', 'PUBLIC_GOOD', 'AWARD', 'PROJECT', name='disbursementuse', native_enum=False, length=20), nullable=False),
    sa.Column('project_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('payee', sa.String(length=100), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('photo_file_id', sa.String(length=200), nullable=True),
    sa.Column('status', sa.Enum('PENDING', 'PAID', 'WITHDRAWN', name='disbursementstatus', native_enum=False, length=20), nullable=False),
    sa.Column('needed', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('requested_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_fund_disbursements_community_id_communities')),
    sa.ForeignKeyConstraint(['project_id'], ['fund_projects.id'], name=op.f('fk_fund_disbursements_project_id_fund_projects')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_fund_disbursements_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fund_disbursements')),
    sa.UniqueConstraint('community_id', 'number', name=op.f('uq_fund_disbursements_community_id_number'))
    )
    with op.batch_alter_table('fund_disbursements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fund_disbursements_community_id'), ['community_id'], unique=False)

    op.create_table('fund_donations',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('community_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('donor_kind', sa.Enum('UNIT', 'PARTNER', 'PARTY_MEMBER', 'RESIDENT', 'ANONYMOUS', name='donorkind', native_enum=False, length=20), nullable=False),
    sa.Column('donor_name', sa.String(length=100), nullable=True),
    sa.Column('unit_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('partner_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('type', sa.Enum('DIRECTED', 'CARING', 'PUBLIC', 'LEADING', 'MUTUAL', name='donationtype', native_enum=False, length=20), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('goods', sa.Text(), nullable=True),
    sa.Column('project_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('publish_name', sa.Boolean(), nullable=False),
    sa.Column('recorded_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_fund_donations_community_id_communities')),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_fund_donations_partner_id_partners')),
    sa.ForeignKeyConstraint(['project_id'], ['fund_projects.id'], name=op.f('fk_fund_donations_project_id_fund_projects')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_fund_donations_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['partner_units.id'], name=op.f('fk_fund_donations_unit_id_partner_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fund_donations')),
    sa.UniqueConstraint('community_id', 'number', name=op.f('uq_fund_donations_community_id_number'))
    )
    with op.batch_alter_table('fund_donations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fund_donations_community_id'), ['community_id'], unique=False)

    op.create_table('fund_approvals',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('disbursement_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['disbursement_id'], ['fund_disbursements.id'], name=op.f('fk_fund_approvals_disbursement_id_fund_disbursements')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_fund_approvals_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fund_approvals')),
    sa.UniqueConstraint('disbursement_id', 'user_id', name=op.f('uq_fund_approvals_disbursement_id_user_id'))
    )
    with op.batch_alter_table('fund_approvals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fund_approvals_disbursement_id'), ['disbursement_id'], unique=False)

    op.create_table('fund_entries',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('community_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('bucket', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('donation_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('disbursement_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_fund_entries_by_id_users')),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_fund_entries_community_id_communities')),
    sa.ForeignKeyConstraint(['disbursement_id'], ['fund_disbursements.id'], name=op.f('fk_fund_entries_disbursement_id_fund_disbursements')),
    sa.ForeignKeyConstraint(['donation_id'], ['fund_donations.id'], name=op.f('fk_fund_entries_donation_id_fund_donations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fund_entries')),
    sa.UniqueConstraint('key', name=op.f('uq_fund_entries_key'))
    )
    with op.batch_alter_table('fund_entries', schema=None) as batch_op:
        batch_op.create_index('ix_fund_entries_community_at', ['community_id', 'at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('fund_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_fund_entries_community_at')

    op.drop_table('fund_entries')
    with op.batch_alter_table('fund_approvals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fund_approvals_disbursement_id'))

    op.drop_table('fund_approvals')
    with op.batch_alter_table('fund_donations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fund_donations_community_id'))

    op.drop_table('fund_donations')
    with op.batch_alter_table('fund_disbursements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fund_disbursements_community_id'))

    op.drop_table('fund_disbursements')
    with op.batch_alter_table('fund_projects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fund_projects_community_id'))

    op.drop_table('fund_projects')
    op.drop_table('fund_counters')
    op.drop_table('fund_balances')
