"""attachment content: the bytes of attached files, for a database several counters share

Revision ID: 0004_attachment_content
Revises: 0003_list_and_stats_indexes
Create Date: 2026-12-06

On PostgreSQL a file attached at one counter is written here as well as into that counter's
data folder, so the other counters can fetch it. On SQLite the table stays empty: the files are
in the data folder beside the database.
"""
import sqlalchemy as sa
from alembic import op

revision = '0004_attachment_content'
down_revision = '0003_list_and_stats_indexes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('attachment_content',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment_content')),
    sa.UniqueConstraint('sha256', name=op.f('uq_attachment_content_sha256'))
    )


def downgrade() -> None:
    op.drop_table('attachment_content')
