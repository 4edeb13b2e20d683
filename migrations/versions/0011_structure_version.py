"""structure version

Revision ID: 0011
Revises: 0010
One row whose version every change to the structure sets anew, in the same transaction; each
process keeps the structure rows it read while the version stays the same.
"""

import secrets

from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table('structure_version',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_structure_version'))
    )
    op.bulk_insert(table, [{'id': 1, 'version': secrets.randbits(62)}])


def downgrade() -> None:
    op.drop_table('structure_version')
