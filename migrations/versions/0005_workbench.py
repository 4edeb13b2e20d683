"""workbench login links and sessions

Revision ID: 0005
Revises: 0004
Single-use login links and browser sessions of the staff workbench; only token hashes are kept.
A community's requests and ledger entries of a period are found without reading the others'.
"""

from alembic import op
import sqlalchemy as sa

import models.base


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('web_login_tokens',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_web_login_tokens_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_web_login_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_web_login_tokens_token_hash'))
    )
    with op.batch_alter_table('web_login_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_web_login_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('web_sessions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_web_sessions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_web_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_web_sessions_token_hash'))
    )
    with op.batch_alter_table('web_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_web_sessions_user_id'), ['user_id'], unique=False)


    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.create_index('ix_requests_community_created', ['community_id', 'created_at'], unique=False)
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.create_index('ix_ledger_entries_community_created', ['community_id', 'created_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_ledger_entries_community_created')
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.drop_index('ix_requests_community_created')
    with op.batch_alter_table('web_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_web_sessions_user_id'))
    op.drop_table('web_sessions')
    with op.batch_alter_table('web_login_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_web_login_tokens_user_id'))
    op.drop_table('web_login_tokens')
