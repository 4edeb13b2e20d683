"""message copies

Revision ID: 0004
Revises: 0003
Every copy of a card (request cards, check-in cards, activity announcements) is recorded in
one table with what it shows, so a change is shown on every copy; request_cards moves into it
and outbox rows point at the copy they send or edit instead of naming an audience.
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

IdType = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')

request_cards = sa.table(
    'request_cards',
    sa.column('id', sa.Integer), sa.column('request_id', sa.Integer),
    sa.column('chat_id', sa.BigInteger), sa.column('message_id', sa.Integer),
    sa.column('audience', sa.String),
)
message_copies = sa.table(
    'message_copies',
    sa.column('id', sa.Integer), sa.column('subject_kind', sa.String),
    sa.column('subject_id', sa.BigInteger), sa.column('variant', sa.String),
    sa.column('language', sa.String), sa.column('chat_id', sa.BigInteger),
    sa.column('message_id', sa.Integer), sa.column('captioned', sa.Boolean),
)
users = sa.table(
    'users',
    sa.column('telegram_id', sa.BigInteger), sa.column('language', sa.String),
    sa.column('telegram_language', sa.String),
)


def upgrade() -> None:
    op.create_table('message_copies',
    sa.Column('id', IdType, nullable=False),
    sa.Column('subject_kind', sa.String(length=20), nullable=False),
    sa.Column('subject_id', sa.BigInteger(), nullable=False),
    sa.Column('variant', sa.String(length=20), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('context', sa.JSON(), nullable=True),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.Column('captioned', sa.Boolean(), nullable=False),
    sa.Column('shown', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message_copies')),
    sa.UniqueConstraint('chat_id', 'message_id', name=op.f('uq_message_copies_chat_id_message_id'))
    )
    with op.batch_alter_table('message_copies', schema=None) as batch_op:
        batch_op.create_index('ix_message_copies_subject', ['subject_kind', 'subject_id'], unique=False)

    # Request cards become copies of their request. A claimer's card is drawn in the claimer's
    # language, as the refresh drew it before; what a card shows is not known, so the next
    # change edits every one of them once.
    claimer_language = (
        sa.select(sa.func.coalesce(users.c.language, users.c.telegram_language))
        .where(users.c.telegram_id == request_cards.c.chat_id)
        .scalar_subquery()
    )
    op.execute(
        message_copies.insert().from_select(
            ['subject_kind', 'subject_id', 'variant', 'language', 'chat_id', 'message_id',
             'captioned'],
            sa.select(
                sa.literal('request'), request_cards.c.request_id, request_cards.c.audience,
                sa.case((request_cards.c.audience == 'claimer', claimer_language)),
                request_cards.c.chat_id, request_cards.c.message_id, sa.false(),
            ).order_by(request_cards.c.id),
        )
    )
    with op.batch_alter_table('request_cards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_request_cards_request_id'))
    op.drop_table('request_cards')

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('copy_id', IdType, nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_copy_id'), ['copy_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_outbox_copy_id_message_copies'), 'message_copies', ['copy_id'], ['id'])
        batch_op.drop_column('card_audience')


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('card_audience', sa.String(length=10), nullable=True))
        batch_op.drop_constraint(batch_op.f('fk_outbox_copy_id_message_copies'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_outbox_copy_id'))
        batch_op.drop_column('copy_id')

    op.create_table('request_cards',
    sa.Column('id', IdType, nullable=False),
    sa.Column('request_id', IdType, nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('audience', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['requests.id'], name=op.f('fk_request_cards_request_id_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_request_cards')),
    sa.UniqueConstraint('chat_id', 'message_id', name=op.f('uq_request_cards_chat_id_message_id'))
    )
    with op.batch_alter_table('request_cards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_request_cards_request_id'), ['request_id'], unique=False)
    op.execute(
        request_cards.insert().from_select(
            ['request_id', 'chat_id', 'message_id', 'audience'],
            sa.select(
                message_copies.c.subject_id, message_copies.c.chat_id,
                message_copies.c.message_id, message_copies.c.variant,
            )
            .where(
                message_copies.c.subject_kind == 'request',
                message_copies.c.message_id.is_not(None),
            )
            .order_by(message_copies.c.id),
        )
    )
    with op.batch_alter_table('message_copies', schema=None) as batch_op:
        batch_op.drop_index('ix_message_copies_subject')
    op.drop_table('message_copies')
