"""the community fund, needs, resources and projects

Revision ID: 0010
Revises: 0009
The fund's append-only ledger in fen with its balances per bucket, donations, disbursements
and the board's approvals; needs, resources, projects with their stages and ratings, and
the units' agreements.
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
    op.create_table('resource_offers',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('community_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('unit_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('partner_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('kind', sa.Enum('SPACE', 'HOURS', 'GOODS', 'MONEY', name='resourcekind', native_enum=False, length=20), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('quantity', sa.String(length=50), nullable=False),
    sa.Column('available_from', sa.Date(), nullable=True),
    sa.Column('available_until', sa.Date(), nullable=True),
    sa.Column('offered_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_resource_offers_community_id_communities')),
    sa.ForeignKeyConstraint(['offered_by_id'], ['users.id'], name=op.f('fk_resource_offers_offered_by_id_users')),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_resource_offers_partner_id_partners')),
    sa.ForeignKeyConstraint(['unit_id'], ['partner_units.id'], name=op.f('fk_resource_offers_unit_id_partner_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resource_offers'))
    )
    with op.batch_alter_table('resource_offers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resource_offers_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_resource_offers_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_resource_offers_unit_id'), ['unit_id'], unique=False)

    op.create_table('unit_agreements',
    sa.Column('unit_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=False, nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('reminded_for', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['partner_units.id'], name=op.f('fk_unit_agreements_unit_id_partner_units')),
    sa.PrimaryKeyConstraint('unit_id', name=op.f('pk_unit_agreements'))
    )
    op.create_table('resource_needs',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('community_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('scope', sa.Enum('MICRO_GRID', 'GRID', 'COMMUNITY', name='scopekind', native_enum=False, length=20), nullable=False),
    sa.Column('grid_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('micro_grid_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('source', sa.Enum('STAFF', 'RECURRING', 'WISH', 'PROPOSAL', name='needsource', native_enum=False, length=20), nullable=False),
    sa.Column('source_key', sa.String(length=100), nullable=True),
    sa.Column('people', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('PROPOSED', 'OPEN', 'DISMISSED', 'IN_PROJECT', name='needstatus', native_enum=False, length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('decided_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_resource_needs_community_id_communities')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_resource_needs_created_by_id_users')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_resource_needs_decided_by_id_users')),
    sa.ForeignKeyConstraint(['grid_id'], ['grids.id'], name=op.f('fk_resource_needs_grid_id_grids')),
    sa.ForeignKeyConstraint(['micro_grid_id'], ['micro_grids.id'], name=op.f('fk_resource_needs_micro_grid_id_micro_grids')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resource_needs')),
    sa.UniqueConstraint('community_id', 'number', name=op.f('uq_resource_needs_community_id_number')),
    sa.UniqueConstraint('source_key', name=op.f('uq_resource_needs_source_key'))
    )
    with op.batch_alter_table('resource_needs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resource_needs_community_id'), ['community_id'], unique=False)

    op.create_table('fund_projects',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('community_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('scope', sa.Enum('MICRO_GRID', 'GRID', 'COMMUNITY', name='scopekind', native_enum=False, length=20), nullable=False),
    sa.Column('grid_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('micro_grid_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('plan', sa.Text(), nullable=False),
    sa.Column('budget', sa.BigInteger(), nullable=False),
    sa.Column('people', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('status', sa.Enum('OPEN', 'TAKEN', 'UNDERWAY', 'ACCEPTED', 'DONE', 'CANCELLED', name='projectstatus', native_enum=False, length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('take_up', sa.Enum('CLAIM', 'PURCHASE', 'UNDERTAKE', name='takeup', native_enum=False, length=20), nullable=True),
    sa.Column('unit_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('partner_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('helped', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('photos', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_fund_projects_community_id_communities')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_fund_projects_created_by_id_users')),
    sa.ForeignKeyConstraint(['grid_id'], ['grids.id'], name=op.f('fk_fund_projects_grid_id_grids')),
    sa.ForeignKeyConstraint(['micro_grid_id'], ['micro_grids.id'], name=op.f('fk_fund_projects_micro_grid_id_micro_grids')),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_fund_projects_partner_id_partners')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_fund_projects_proposal_id_proposals')),
    sa.ForeignKeyConstraint(['unit_id'], ['partner_units.id'], name=op.f('fk_fund_projects_unit_id_partner_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fund_projects')),
    sa.UniqueConstraint('community_id', 'number', name=op.f('uq_fund_projects_community_id_number'))
    )
    with op.batch_alter_table('fund_projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fund_projects_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fund_projects_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fund_projects_unit_id'), ['unit_id'], unique=False)

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

    op.create_table('fund_project_needs',
    sa.Column('project_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=False, nullable=False),
    sa.Column('need_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=False, nullable=False),
    sa.ForeignKeyConstraint(['need_id'], ['resource_needs.id'], name=op.f('fk_fund_project_needs_need_id_resource_needs')),
    sa.ForeignKeyConstraint(['project_id'], ['fund_projects.id'], name=op.f('fk_fund_project_needs_project_id_fund_projects')),
    sa.PrimaryKeyConstraint('project_id', 'need_id', name=op.f('pk_fund_project_needs'))
    )
    op.create_table('fund_project_ratings',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('project_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('stars', sa.Integer(), nullable=False),
    sa.Column('at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['fund_projects.id'], name=op.f('fk_fund_project_ratings_project_id_fund_projects')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_fund_project_ratings_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fund_project_ratings')),
    sa.UniqueConstraint('project_id', 'user_id', name=op.f('uq_fund_project_ratings_project_id_user_id'))
    )
    with op.batch_alter_table('fund_project_ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fund_project_ratings_project_id'), ['project_id'], unique=False)

    op.create_table('fund_project_stages',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('project_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('actor_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_fund_project_stages_actor_id_users')),
    sa.ForeignKeyConstraint(['project_id'], ['fund_projects.id'], name=op.f('fk_fund_project_stages_project_id_fund_projects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fund_project_stages')),
    sa.UniqueConstraint('project_id', 'stage', name=op.f('uq_fund_project_stages_project_id_stage'))
    )
    with op.batch_alter_table('fund_project_stages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fund_project_stages_project_id'), ['project_id'], unique=False)

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
    with op.batch_alter_table('fund_project_stages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fund_project_stages_project_id'))

    op.drop_table('fund_project_stages')
    with op.batch_alter_table('fund_project_ratings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fund_project_ratings_project_id'))

    op.drop_table('fund_project_ratings')
    op.drop_table('fund_project_needs')
    with op.batch_alter_table('fund_donations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fund_donations_community_id'))

    op.drop_table('fund_donations')
    with op.batch_alter_table('fund_disbursements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fund_disbursements_community_id'))

    op.drop_table('fund_disbursements')
    with op.batch_alter_table('fund_projects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fund_projects_unit_id'))
        batch_op.drop_index(batch_op.f('ix_fund_projects_partner_id'))
        batch_op.drop_index(batch_op.f('ix_fund_projects_community_id'))

    op.drop_table('fund_projects')
    with op.batch_alter_table('resource_needs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resource_needs_community_id'))

    op.drop_table('resource_needs')
    op.drop_table('unit_agreements')
    with op.batch_alter_table('resource_offers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resource_offers_unit_id'))
        batch_op.drop_index(batch_op.f('ix_resource_offers_partner_id'))
        batch_op.drop_index(batch_op.f('ix_resource_offers_community_id'))

    op.drop_table('resource_offers')
    op.drop_table('fund_counters')
    op.drop_table('fund_balances')
