"""partner services

Revision ID: 0009
Revises: 0005
Partners (社会力量) with their contacts and services; residents' orders, numbered per
community, with their trail, rating and the record of every disclosure of a resident's details.
"""

from alembic import op
import sqlalchemy as sa

import models.base


revision = '0009'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('partners',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('community_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('agreement_until', sa.Date(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_partners_community_id_communities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partners')),
    sa.UniqueConstraint('community_id', 'name', name=op.f('uq_partners_community_id_name'))
    )
    with op.batch_alter_table('partners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partners_community_id'), ['community_id'], unique=False)

    op.create_table('service_order_counters',
    sa.Column('community_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_service_order_counters_community_id_communities')),
    sa.PrimaryKeyConstraint('community_id', name=op.f('pk_service_order_counters'))
    )
    op.create_table('partner_contacts',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('partner_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_partner_contacts_partner_id_partners')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_partner_contacts_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_contacts')),
    sa.UniqueConstraint('partner_id', 'user_id', name=op.f('uq_partner_contacts_partner_id_user_id'))
    )
    with op.batch_alter_table('partner_contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_contacts_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_partner_contacts_user_id'), ['user_id'], unique=False)

    op.create_table('services',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('community_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('partner_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('category', sa.String(length=50), nullable=False),
    sa.Column('price', sa.String(length=100), nullable=False),
    sa.Column('micro_grid_ids', sa.JSON(), nullable=False),
    sa.Column('weekly_capacity', sa.Integer(), nullable=True),
    sa.Column('respond_hours', sa.Integer(), nullable=False),
    sa.Column('auto_accept', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_services_community_id_communities')),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_services_partner_id_partners')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_services')),
    sa.UniqueConstraint('partner_id', 'name', name=op.f('uq_services_partner_id_name'))
    )
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_services_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_services_partner_id'), ['partner_id'], unique=False)

    op.create_table('service_orders',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('community_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('partner_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('resident_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('micro_grid_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('photo_file_id', sa.String(length=255), nullable=True),
    sa.Column('preferred_time', sa.String(length=100), nullable=True),
    sa.Column('status', sa.Enum('WAITING', 'SUBMITTED', 'PASSED', 'ACCEPTED', 'SCHEDULED', 'DONE', 'RATED', 'RETURNED', 'CONVERTED', name='orderstatus', native_enum=False, length=12), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('passed_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('respond_deadline', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('late_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('accepted_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('accepted_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('appointment', sa.String(length=100), nullable=True),
    sa.Column('completed_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('completion_note', sa.Text(), nullable=True),
    sa.Column('completion_photo_file_id', sa.String(length=255), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('rating_comment', sa.Text(), nullable=True),
    sa.Column('rated_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('request_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['users.id'], name=op.f('fk_service_orders_accepted_by_id_users')),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_service_orders_community_id_communities')),
    sa.ForeignKeyConstraint(['micro_grid_id'], ['micro_grids.id'], name=op.f('fk_service_orders_micro_grid_id_micro_grids')),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_service_orders_partner_id_partners')),
    sa.ForeignKeyConstraint(['request_id'], ['requests.id'], name=op.f('fk_service_orders_request_id_requests')),
    sa.ForeignKeyConstraint(['resident_id'], ['users.id'], name=op.f('fk_service_orders_resident_id_users')),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_service_orders_service_id_services')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_orders')),
    sa.UniqueConstraint('community_id', 'number', name=op.f('uq_service_orders_community_id_number'))
    )
    with op.batch_alter_table('service_orders', schema=None) as batch_op:
        batch_op.create_index('ix_service_orders_community_created', ['community_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_orders_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_orders_resident_id'), ['resident_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_orders_service_id'), ['service_id'], unique=False)

    op.create_table('service_order_disclosures',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('order_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('partner_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('fields', sa.String(length=50), nullable=False),
    sa.Column('disclosed_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['service_orders.id'], name=op.f('fk_service_order_disclosures_order_id_service_orders')),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_service_order_disclosures_partner_id_partners')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_service_order_disclosures_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_order_disclosures'))
    )
    with op.batch_alter_table('service_order_disclosures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_order_disclosures_order_id'), ['order_id'], unique=False)

    op.create_table('service_order_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('order_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('actor_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('from_status', sa.String(length=12), nullable=True),
    sa.Column('to_status', sa.String(length=12), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_service_order_events_actor_id_users')),
    sa.ForeignKeyConstraint(['order_id'], ['service_orders.id'], name=op.f('fk_service_order_events_order_id_service_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_order_events'))
    )
    with op.batch_alter_table('service_order_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_order_events_order_id'), ['order_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('service_order_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_order_events_order_id'))

    op.drop_table('service_order_events')
    with op.batch_alter_table('service_order_disclosures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_order_disclosures_order_id'))

    op.drop_table('service_order_disclosures')
    with op.batch_alter_table('service_orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_orders_service_id'))
        batch_op.drop_index(batch_op.f('ix_service_orders_resident_id'))
        batch_op.drop_index(batch_op.f('ix_service_orders_partner_id'))
        batch_op.drop_index('ix_service_orders_community_created')

    op.drop_table('service_orders')
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_services_partner_id'))
        batch_op.drop_index(batch_op.f('ix_services_community_id'))

    op.drop_table('services')
    with op.batch_alter_table('partner_contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_contacts_user_id'))
        batch_op.drop_index(batch_op.f('ix_partner_contacts_partner_id'))

    op.drop_table('partner_contacts')
    op.drop_table('service_order_counters')
    with op.batch_alter_table('partners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partners_community_id'))

    op.drop_table('partners')
