"""outbox leases and failed updates

Revision ID: 0002
Revises: 0001
Outbox rows are leased to one sender at a time; updates that failed for good are recorded.
"""

from alembic import op
import sqlalchemy as sa

import models.base


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('leased_by', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('leased_until', models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.drop_index(batch_op.f('ix_outbox_chat_id'))
        batch_op.create_index('ix_outbox_chat_order', ['chat_id', 'status', 'id'], unique=False)

    with op.batch_alter_table('processed_updates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('error', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('processed_updates', schema=None) as batch_op:
        batch_op.drop_column('error')

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_chat_order')
        batch_op.create_index(batch_op.f('ix_outbox_chat_id'), ['chat_id'], unique=False)
        batch_op.drop_column('leased_until')
        batch_op.drop_column('leased_by')
