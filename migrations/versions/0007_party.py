"""party members, partner units, pledges and whistles

Revision ID: 0007
Revises: 0005
Partner units and departments of a community, party members' registrations, wishes offered
to party members first, pledges and what keeps them, and whistles for departments.
"""

from alembic import op
import sqlalchemy as sa

import models.base


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('departments',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('community_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=True),
    sa.Column('contacts', sa.JSON(), nullable=False),
    sa.Column('response_hours', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_departments_community_id_communities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_departments')),
    sa.UniqueConstraint('community_id', 'name', name=op.f('uq_departments_community_id_name'))
    )
    with op.batch_alter_table('departments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_departments_community_id'), ['community_id'], unique=False)

    op.create_table('partner_units',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('community_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('contacts', sa.JSON(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_partner_units_community_id_communities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_units')),
    sa.UniqueConstraint('community_id', 'name', name=op.f('uq_partner_units_community_id_name'))
    )
    with op.batch_alter_table('partner_units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_units_community_id'), ['community_id'], unique=False)

    op.create_table('pledges',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('community_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_pledges_community_id_communities')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_pledges_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pledges'))
    )
    with op.batch_alter_table('pledges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pledges_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pledges_user_id'), ['user_id'], unique=False)

    op.create_table('pledge_links',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('pledge_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('ref_type', sa.String(length=20), nullable=False),
    sa.Column('ref_id', sa.Integer(), nullable=False),
    sa.Column('at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['pledge_id'], ['pledges.id'], name=op.f('fk_pledge_links_pledge_id_pledges')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pledge_links')),
    sa.UniqueConstraint('ref_type', 'ref_id', name=op.f('uq_pledge_links_ref_type_ref_id'))
    )
    with op.batch_alter_table('pledge_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pledge_links_pledge_id'), ['pledge_id'], unique=False)

    op.create_table('party_members',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('community_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('micro_grid_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('kind', sa.Enum('IN_SERVICE', 'COMMUNITY', name='membershipkind', native_enum=False, length=20), nullable=False),
    sa.Column('unit_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('status', sa.Enum('PENDING', 'CONFIRMED', 'DECLINED', 'LEFT', name='membershipstatus', native_enum=False, length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('reviewed_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('requested_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('left_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_party_members_community_id_communities')),
    sa.ForeignKeyConstraint(['micro_grid_id'], ['micro_grids.id'], name=op.f('fk_party_members_micro_grid_id_micro_grids')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_party_members_reviewed_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['partner_units.id'], name=op.f('fk_party_members_unit_id_partner_units')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_party_members_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_party_members')),
    sa.UniqueConstraint('user_id', name=op.f('uq_party_members_user_id'))
    )
    with op.batch_alter_table('party_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_party_members_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_party_members_micro_grid_id'), ['micro_grid_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_party_members_unit_id'), ['unit_id'], unique=False)

    op.create_table('party_wishes',
    sa.Column('request_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=False, nullable=False),
    sa.Column('until', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('marked_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['marked_by_id'], ['users.id'], name=op.f('fk_party_wishes_marked_by_id_users')),
    sa.ForeignKeyConstraint(['request_id'], ['requests.id'], name=op.f('fk_party_wishes_request_id_requests')),
    sa.PrimaryKeyConstraint('request_id', name=op.f('pk_party_wishes'))
    )
    op.create_table('whistles',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('community_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('request_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('department_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('whistled_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('whistled_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('due_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reported_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reported_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('done_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('done_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('reminded_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_whistles_community_id_communities')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_whistles_department_id_departments')),
    sa.ForeignKeyConstraint(['done_by_id'], ['users.id'], name=op.f('fk_whistles_done_by_id_users')),
    sa.ForeignKeyConstraint(['reported_by_id'], ['users.id'], name=op.f('fk_whistles_reported_by_id_users')),
    sa.ForeignKeyConstraint(['request_id'], ['requests.id'], name=op.f('fk_whistles_request_id_requests')),
    sa.ForeignKeyConstraint(['whistled_by_id'], ['users.id'], name=op.f('fk_whistles_whistled_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_whistles')),
    sa.UniqueConstraint('request_id', 'department_id', name=op.f('uq_whistles_request_id_department_id'))
    )
    with op.batch_alter_table('whistles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_whistles_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_whistles_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_whistles_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_whistles_whistled_at'), ['whistled_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('whistles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_whistles_whistled_at'))
        batch_op.drop_index(batch_op.f('ix_whistles_request_id'))
        batch_op.drop_index(batch_op.f('ix_whistles_department_id'))
        batch_op.drop_index(batch_op.f('ix_whistles_community_id'))

    op.drop_table('whistles')
    op.drop_table('party_wishes')
    with op.batch_alter_table('party_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_party_members_unit_id'))
        batch_op.drop_index(batch_op.f('ix_party_members_micro_grid_id'))
        batch_op.drop_index(batch_op.f('ix_party_members_community_id'))

    op.drop_table('party_members')
    with op.batch_alter_table('pledge_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pledge_links_pledge_id'))

    op.drop_table('pledge_links')
    with op.batch_alter_table('pledges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pledges_user_id'))
        batch_op.drop_index(batch_op.f('ix_pledges_community_id'))

    op.drop_table('pledges')
    with op.batch_alter_table('partner_units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_units_community_id'))

    op.drop_table('partner_units')
    with op.batch_alter_table('departments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_departments_community_id'))

    op.drop_table('departments')
