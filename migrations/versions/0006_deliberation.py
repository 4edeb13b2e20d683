"""deliberation: proposals, seconds, options, votes, objections, events and whispers

Revision ID: 0006
Revises: 0005
The six-step deliberation (议事协商) and the anonymous mailbox; a request may be the
implementation task of a proposal.
"""

from alembic import op
import sqlalchemy as sa

import models.base


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('proposal_counters',
    sa.Column('community_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_proposal_counters_community_id_communities')),
    sa.PrimaryKeyConstraint('community_id', name=op.f('pk_proposal_counters'))
    )
    op.create_table('whispers',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('community_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('sender_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('answered_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_whispers_community_id_communities')),
    sa.ForeignKeyConstraint(['sender_id'], ['users.id'], name=op.f('fk_whispers_sender_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_whispers'))
    )
    with op.batch_alter_table('whispers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_whispers_community_id'), ['community_id'], unique=False)
        batch_op.create_index('ix_whispers_sender_at', ['sender_id', 'at'], unique=False)

    op.create_table('proposals',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('community_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('scope', sa.Enum('MICRO_GRID', 'GRID', 'COMMUNITY', name='scope', native_enum=False, length=20), nullable=False),
    sa.Column('grid_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('micro_grid_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('proposer_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('photo_file_id', sa.String(length=255), nullable=True),
    sa.Column('status', sa.Enum('SUBMITTED', 'ACCEPTED', 'MERGED', 'DECLINED', 'VOTING', 'PASSED', 'FAILED', 'IMPLEMENTED', name='proposalstatus', native_enum=False, length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('track', sa.Enum('MAJOR', 'MINOR', 'URGENT', name='track', native_enum=False, length=10), nullable=True),
    sa.Column('seconds', sa.Integer(), nullable=False),
    sa.Column('screening_due_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('escalation', sa.Integer(), nullable=False),
    sa.Column('screened_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('screened_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decline_reason', sa.Text(), nullable=True),
    sa.Column('merged_into_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('vote_opened_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('vote_closes_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('rules', sa.JSON(), nullable=True),
    sa.Column('closed_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.Column('publicity_until', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('implemented_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_proposals_closed_by_id_users')),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_proposals_community_id_communities')),
    sa.ForeignKeyConstraint(['grid_id'], ['grids.id'], name=op.f('fk_proposals_grid_id_grids')),
    sa.ForeignKeyConstraint(['merged_into_id'], ['proposals.id'], name=op.f('fk_proposals_merged_into_id_proposals')),
    sa.ForeignKeyConstraint(['micro_grid_id'], ['micro_grids.id'], name=op.f('fk_proposals_micro_grid_id_micro_grids')),
    sa.ForeignKeyConstraint(['proposer_id'], ['users.id'], name=op.f('fk_proposals_proposer_id_users')),
    sa.ForeignKeyConstraint(['screened_by_id'], ['users.id'], name=op.f('fk_proposals_screened_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposals')),
    sa.UniqueConstraint('community_id', 'number', name=op.f('uq_proposals_community_id_number'))
    )
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposals_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_proposer_id'), ['proposer_id'], unique=False)
        batch_op.create_index('ix_proposals_status_deadline', ['status', 'vote_closes_at'], unique=False)

    op.create_table('proposal_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('proposal_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('actor_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('actor_role', sa.String(length=20), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_proposal_events_actor_id_users')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_events_proposal_id_proposals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_events'))
    )
    with op.batch_alter_table('proposal_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_events_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('proposal_objections',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('proposal_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_objections_proposal_id_proposals')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_proposal_objections_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_objections'))
    )
    with op.batch_alter_table('proposal_objections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_objections_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('proposal_options',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('proposal_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('photo_file_id', sa.String(length=255), nullable=True),
    sa.Column('document_file_id', sa.String(length=255), nullable=True),
    sa.Column('added_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_proposal_options_added_by_id_users')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_options_proposal_id_proposals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_options')),
    sa.UniqueConstraint('proposal_id', 'position', name=op.f('uq_proposal_options_proposal_id_position'))
    )
    with op.batch_alter_table('proposal_options', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_options_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('proposal_seconds',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('proposal_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_seconds_proposal_id_proposals')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_proposal_seconds_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_seconds')),
    sa.UniqueConstraint('proposal_id', 'user_id', name=op.f('uq_proposal_seconds_proposal_id_user_id'))
    )
    with op.batch_alter_table('proposal_seconds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_seconds_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('proposal_votes',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('proposal_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('voter_key', sa.String(length=80), nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('choice', sa.Integer(), nullable=False),
    sa.Column('at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_votes_proposal_id_proposals')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_proposal_votes_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_votes')),
    sa.UniqueConstraint('proposal_id', 'voter_key', name=op.f('uq_proposal_votes_proposal_id_voter_key'))
    )
    with op.batch_alter_table('proposal_votes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_votes_proposal_id'), ['proposal_id'], unique=False)

    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('proposal_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True))
        batch_op.create_index(batch_op.f('ix_requests_proposal_id'), ['proposal_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_requests_proposal_id_proposals'), 'proposals', ['proposal_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_requests_proposal_id_proposals'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_requests_proposal_id'))
        batch_op.drop_column('proposal_id')

    with op.batch_alter_table('proposal_votes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_votes_proposal_id'))

    op.drop_table('proposal_votes')
    with op.batch_alter_table('proposal_seconds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_seconds_proposal_id'))

    op.drop_table('proposal_seconds')
    with op.batch_alter_table('proposal_options', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_options_proposal_id'))

    op.drop_table('proposal_options')
    with op.batch_alter_table('proposal_objections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_objections_proposal_id'))

    op.drop_table('proposal_objections')
    with op.batch_alter_table('proposal_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_events_proposal_id'))

    op.drop_table('proposal_events')
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_index('ix_proposals_status_deadline')
        batch_op.drop_index(batch_op.f('ix_proposals_proposer_id'))
        batch_op.drop_index(batch_op.f('ix_proposals_created_at'))
        batch_op.drop_index(batch_op.f('ix_proposals_community_id'))

    op.drop_table('proposals')
    with op.batch_alter_table('whispers', schema=None) as batch_op:
        batch_op.drop_index('ix_whispers_sender_at')
        batch_op.drop_index(batch_op.f('ix_whispers_community_id'))

    op.drop_table('whispers')
    op.drop_table('proposal_counters')
