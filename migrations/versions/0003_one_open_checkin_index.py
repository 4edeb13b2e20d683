"""one open check-in index matches stored statuses

Revision ID: 0003
Revises: 0002
Statuses are stored by name ('OPEN'), so the partial index that keeps one open check-in per
person must test for that.
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def _recreate(status: str) -> None:
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.drop_index('uq_checkins_one_open')
        batch_op.create_index('uq_checkins_one_open', ['user_id'], unique=True,
                              sqlite_where=sa.text(f"status = '{status}'"),
                              postgresql_where=sa.text(f"status = '{status}'"))


def upgrade() -> None:
    _recreate('OPEN')


def downgrade() -> None:
    _recreate('open')
