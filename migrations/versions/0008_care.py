"""care ledgers, visits and the one-key call

Revision ID: 0008
Revises: 0005
Households with a colour, tags, encrypted notes and phones, colour history and an access log;
visits; people enabled for the one-key call and the calls. Outbox rows get a priority, so a
call's alerts are sent before other due rows.
"""

from alembic import op
import sqlalchemy as sa

import models.base


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('care_households',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('community_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('grid_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('micro_grid_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('building_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('unit_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('unit_key', sa.String(length=20), nullable=False),
    sa.Column('room', sa.String(length=20), nullable=False),
    sa.Column('people', sa.String(length=200), nullable=False),
    sa.Column('phone_secret', sa.Text(), nullable=True),
    sa.Column('colour', sa.Enum('RED', 'YELLOW', 'BLUE', 'ORANGE', name='colour', native_enum=False, length=10), nullable=False),
    sa.Column('colour_reason', sa.String(length=200), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('last_visit_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['building_id'], ['buildings.id'], name=op.f('fk_care_households_building_id_buildings')),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_care_households_community_id_communities')),
    sa.ForeignKeyConstraint(['grid_id'], ['grids.id'], name=op.f('fk_care_households_grid_id_grids')),
    sa.ForeignKeyConstraint(['micro_grid_id'], ['micro_grids.id'], name=op.f('fk_care_households_micro_grid_id_micro_grids')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_care_households_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_households')),
    sa.UniqueConstraint('building_id', 'unit_key', 'room', name=op.f('uq_care_households_building_id_unit_key_room'))
    )
    with op.batch_alter_table('care_households', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_care_households_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_care_households_grid_id'), ['grid_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_care_households_micro_grid_id'), ['micro_grid_id'], unique=False)

    op.create_table('care_access_log',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('community_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('household_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('detail', sa.String(length=200), nullable=False),
    sa.Column('at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_care_access_log_community_id_communities')),
    sa.ForeignKeyConstraint(['household_id'], ['care_households.id'], name=op.f('fk_care_access_log_household_id_care_households')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_care_access_log_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_access_log'))
    )
    with op.batch_alter_table('care_access_log', schema=None) as batch_op:
        batch_op.create_index('ix_care_access_log_community_at', ['community_id', 'at'], unique=False)

    op.create_table('care_callers',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('household_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('enabled_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['enabled_by_id'], ['users.id'], name=op.f('fk_care_callers_enabled_by_id_users')),
    sa.ForeignKeyConstraint(['household_id'], ['care_households.id'], name=op.f('fk_care_callers_household_id_care_households')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_care_callers_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_callers')),
    sa.UniqueConstraint('user_id', name=op.f('uq_care_callers_user_id'))
    )
    with op.batch_alter_table('care_callers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_care_callers_household_id'), ['household_id'], unique=False)

    op.create_table('care_calls',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('community_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('household_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('caller_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('status', sa.Enum('OPEN', 'ACCEPTED', 'CANCELLED', 'CLOSED', name='callstatus', native_enum=False, length=10), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('accepted_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('called_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('seen_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('accepted_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('arrived_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['users.id'], name=op.f('fk_care_calls_accepted_by_id_users')),
    sa.ForeignKeyConstraint(['caller_id'], ['users.id'], name=op.f('fk_care_calls_caller_id_users')),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_care_calls_community_id_communities')),
    sa.ForeignKeyConstraint(['household_id'], ['care_households.id'], name=op.f('fk_care_calls_household_id_care_households')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_calls'))
    )
    with op.batch_alter_table('care_calls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_care_calls_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_care_calls_household_id'), ['household_id'], unique=False)
        batch_op.create_index('ix_care_calls_status_called', ['status', 'called_at'], unique=False)
        batch_op.create_index('uq_care_calls_one_active', ['household_id'], unique=True, sqlite_where=sa.text("status IN ('OPEN', 'ACCEPTED')"), postgresql_where=sa.text("status IN ('OPEN', 'ACCEPTED')"))

    op.create_table('care_colour_changes',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('household_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('colour', sa.Enum('RED', 'YELLOW', 'BLUE', 'ORANGE', name='colour', native_enum=False, length=10), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('changed_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('changed_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_care_colour_changes_changed_by_id_users')),
    sa.ForeignKeyConstraint(['household_id'], ['care_households.id'], name=op.f('fk_care_colour_changes_household_id_care_households')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_colour_changes'))
    )
    with op.batch_alter_table('care_colour_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_care_colour_changes_household_id'), ['household_id'], unique=False)

    op.create_table('care_notes',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('household_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('body_secret', sa.Text(), nullable=False),
    sa.Column('author_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_care_notes_author_id_users')),
    sa.ForeignKeyConstraint(['household_id'], ['care_households.id'], name=op.f('fk_care_notes_household_id_care_households')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_notes'))
    )
    with op.batch_alter_table('care_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_care_notes_household_id'), ['household_id'], unique=False)

    op.create_table('care_visits',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('household_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('visitor_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('outcome', sa.Enum('WELL', 'NEEDS_HELP', 'NOT_HOME', name='visitoutcome', native_enum=False, length=12), nullable=False),
    sa.Column('note_secret', sa.Text(), nullable=True),
    sa.Column('photo_file_id', sa.String(length=255), nullable=True),
    sa.Column('visited_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['care_households.id'], name=op.f('fk_care_visits_household_id_care_households')),
    sa.ForeignKeyConstraint(['visitor_id'], ['users.id'], name=op.f('fk_care_visits_visitor_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_visits'))
    )
    with op.batch_alter_table('care_visits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_care_visits_household_id'), ['household_id'], unique=False)

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('priority', sa.Integer(), server_default='0', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('priority')

    with op.batch_alter_table('care_visits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_care_visits_household_id'))

    op.drop_table('care_visits')
    with op.batch_alter_table('care_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_care_notes_household_id'))

    op.drop_table('care_notes')
    with op.batch_alter_table('care_colour_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_care_colour_changes_household_id'))

    op.drop_table('care_colour_changes')
    with op.batch_alter_table('care_calls', schema=None) as batch_op:
        batch_op.drop_index('uq_care_calls_one_active', sqlite_where=sa.text("status IN ('OPEN', 'ACCEPTED')"), postgresql_where=sa.text("status IN ('OPEN', 'ACCEPTED')"))
        batch_op.drop_index('ix_care_calls_status_called')
        batch_op.drop_index(batch_op.f('ix_care_calls_household_id'))
        batch_op.drop_index(batch_op.f('ix_care_calls_community_id'))

    op.drop_table('care_calls')
    with op.batch_alter_table('care_callers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_care_callers_household_id'))

    op.drop_table('care_callers')
    with op.batch_alter_table('care_access_log', schema=None) as batch_op:
        batch_op.drop_index('ix_care_access_log_community_at')

    op.drop_table('care_access_log')
    with op.batch_alter_table('care_households', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_care_households_micro_grid_id'))
        batch_op.drop_index(batch_op.f('ix_care_households_grid_id'))
        batch_op.drop_index(batch_op.f('ix_care_households_community_id'))

    op.drop_table('care_households')
