"""baseline schema

Revision ID: 0001_baseline
Revises: 
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa


revision = '0001_baseline'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('app_setting',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_app_setting')),
    sa.UniqueConstraint('key', name=op.f('uq_app_setting_key'))
    )
    op.create_table('campaign',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('targets', sa.JSON(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign'))
    )
    op.create_table('commune_profile',
    sa.Column('unit_name', sa.String(length=200), nullable=False),
    sa.Column('parent_agency', sa.String(length=200), nullable=False),
    sa.Column('province', sa.String(length=100), nullable=False),
    sa.Column('place_name', sa.String(length=100), nullable=False),
    sa.Column('unit_code', sa.String(length=50), nullable=False),
    sa.Column('head_name', sa.String(length=120), nullable=False),
    sa.Column('head_title', sa.String(length=120), nullable=False),
    sa.Column('offers_e_certified_copy', sa.Boolean(), nullable=False),
    sa.Column('attachment_limit_mb', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commune_profile'))
    )
    op.create_table('hamlet',
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('households', sa.Integer(), nullable=True),
    sa.Column('population', sa.Integer(), nullable=True),
    sa.Column('people_with_vneid', sa.Integer(), nullable=True),
    sa.Column('people_without_vneid', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hamlet')),
    sa.UniqueConstraint('name', name=op.f('uq_hamlet_name'))
    )
    op.create_table('holiday',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holiday')),
    sa.UniqueConstraint('day', name=op.f('uq_holiday_day'))
    )
    op.create_table('officer',
    sa.Column('username', sa.String(length=60), nullable=False),
    sa.Column('full_name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_officer')),
    sa.UniqueConstraint('username', name=op.f('uq_officer_username'))
    )
    op.create_table('procedure',
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.Column('name_fold', sa.String(length=500).with_variant(sa.String(length=500, collation='NOCASE'), 'sqlite'), nullable=False),
    sa.Column('field', sa.String(length=200), nullable=False),
    sa.Column('time_limit', sa.Float(), nullable=False),
    sa.Column('time_unit', sa.String(length=20), nullable=False),
    sa.Column('online_level', sa.String(length=20), nullable=False),
    sa.Column('fee_kind', sa.String(length=20), nullable=False),
    sa.Column('fee_amount', sa.Integer(), nullable=False),
    sa.Column('fee_first_pages', sa.Integer(), nullable=False),
    sa.Column('fee_later_amount', sa.Integer(), nullable=False),
    sa.Column('fee_cap', sa.Integer(), nullable=False),
    sa.Column('fee_note', sa.String(length=500), nullable=False),
    sa.Column('result_is_document', sa.Boolean(), nullable=False),
    sa.Column('citizen_facing', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procedure')),
    sa.UniqueConstraint('code', name=op.f('uq_procedure_code'))
    )
    with op.batch_alter_table('procedure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_procedure_name_fold'), ['name_fold'], unique=False)

    op.create_table('dossier',
    sa.Column('code', sa.String(length=80).with_variant(sa.String(length=80, collation='NOCASE'), 'sqlite'), nullable=False),
    sa.Column('procedure_id', sa.Uuid(), nullable=False),
    sa.Column('applicant_name', sa.String(length=200), nullable=False),
    sa.Column('applicant_fold', sa.String(length=200).with_variant(sa.String(length=200, collation='NOCASE'), 'sqlite'), nullable=False),
    sa.Column('id_number', sa.String(length=20), nullable=False),
    sa.Column('id_kind', sa.String(length=10), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('hamlet', sa.String(length=120), nullable=False),
    sa.Column('submitter_name', sa.String(length=200), nullable=False),
    sa.Column('channel', sa.Integer(), nullable=False),
    sa.Column('status', sa.Integer(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('due_at', sa.DateTime(), nullable=True),
    sa.Column('due_changed_reason', sa.String(length=300), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('returned_at', sa.DateTime(), nullable=True),
    sa.Column('effective_due_at', sa.DateTime(), nullable=True),
    sa.Column('paused_at', sa.DateTime(), nullable=True),
    sa.Column('supplement_count', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Uuid(), nullable=True),
    sa.Column('sets_count', sa.Integer(), nullable=False),
    sa.Column('fee', sa.Integer(), nullable=False),
    sa.Column('payment_method', sa.String(length=20), nullable=False),
    sa.Column('receipt_number', sa.String(length=60), nullable=False),
    sa.Column('identity_checked', sa.Boolean(), nullable=False),
    sa.Column('identity_method', sa.String(length=20), nullable=False),
    sa.Column('has_result_file', sa.Boolean(), nullable=False),
    sa.Column('result_signed', sa.Boolean(), nullable=False),
    sa.Column('has_end_document', sa.Boolean(), nullable=False),
    sa.Column('end_reason', sa.Text(), nullable=False),
    sa.Column('synced', sa.Boolean(), nullable=False),
    sa.Column('synced_at', sa.DateTime(), nullable=True),
    sa.Column('satisfaction', sa.String(length=20), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('delete_reason', sa.String(length=300), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], name=op.f('fk_dossier_officer_id_officer')),
    sa.ForeignKeyConstraint(['procedure_id'], ['procedure.id'], name=op.f('fk_dossier_procedure_id_procedure')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier')),
    sa.UniqueConstraint('code', name=op.f('uq_dossier_code'))
    )
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.create_index('ix_dossier_applicant_fold', ['applicant_fold'], unique=False)
        batch_op.create_index('ix_dossier_channel_received', ['channel', 'received_at'], unique=False)
        batch_op.create_index('ix_dossier_due_at', ['due_at'], unique=False)
        batch_op.create_index('ix_dossier_id_number', ['id_number'], unique=False)
        batch_op.create_index('ix_dossier_officer_received', ['officer_id', 'received_at'], unique=False)
        batch_op.create_index('ix_dossier_phone', ['phone'], unique=False)
        batch_op.create_index('ix_dossier_procedure_received', ['procedure_id', 'received_at'], unique=False)
        batch_op.create_index('ix_dossier_received_at', ['received_at'], unique=False)
        batch_op.create_index('ix_dossier_status_received', ['status', 'received_at'], unique=False)

    op.create_table('procedure_component',
    sa.Column('procedure_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.Column('copy_kind', sa.String(length=30), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('reusable', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['procedure_id'], ['procedure.id'], name=op.f('fk_procedure_component_procedure_id_procedure'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procedure_component'))
    )
    with op.batch_alter_table('procedure_component', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_procedure_component_procedure_id'), ['procedure_id'], unique=False)

    op.create_table('dossier_component',
    sa.Column('dossier_id', sa.Uuid(), nullable=False),
    sa.Column('procedure_component_id', sa.Uuid(), nullable=True),
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('digitised', sa.Boolean(), nullable=False),
    sa.Column('reused', sa.Boolean(), nullable=False),
    sa.Column('from_kho', sa.Boolean(), nullable=False),
    sa.Column('not_required', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_dossier_component_dossier_id_dossier'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['procedure_component_id'], ['procedure_component.id'], name=op.f('fk_dossier_component_procedure_component_id_procedure_component'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier_component'))
    )
    with op.batch_alter_table('dossier_component', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dossier_component_dossier_id'), ['dossier_id'], unique=False)

    op.create_table('dossier_warning',
    sa.Column('dossier_id', sa.Uuid(), nullable=False),
    sa.Column('rule', sa.String(length=40), nullable=False),
    sa.Column('since', sa.DateTime(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_dossier_warning_dossier_id_dossier'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier_warning')),
    sa.UniqueConstraint('dossier_id', 'rule', name=op.f('uq_dossier_warning_dossier_id'))
    )
    with op.batch_alter_table('dossier_warning', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dossier_warning_dossier_id'), ['dossier_id'], unique=False)
        batch_op.create_index('ix_dossier_warning_rule', ['rule', 'dossier_id'], unique=False)

    op.create_table('status_change',
    sa.Column('dossier_id', sa.Uuid(), nullable=False),
    sa.Column('from_status', sa.Integer(), nullable=True),
    sa.Column('to_status', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('officer_id', sa.Uuid(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_status_change_dossier_id_dossier'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], name=op.f('fk_status_change_officer_id_officer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_status_change'))
    )
    with op.batch_alter_table('status_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_status_change_dossier_id'), ['dossier_id'], unique=False)

    op.create_table('supplement_request',
    sa.Column('dossier_id', sa.Uuid(), nullable=False),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.Column('items', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('officer_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_supplement_request_dossier_id_dossier'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], name=op.f('fk_supplement_request_officer_id_officer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplement_request'))
    )
    with op.batch_alter_table('supplement_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supplement_request_dossier_id'), ['dossier_id'], unique=False)

    op.create_table('attachment',
    sa.Column('dossier_id', sa.Uuid(), nullable=False),
    sa.Column('component_id', sa.Uuid(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('media_type', sa.String(length=60), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['component_id'], ['dossier_component.id'], name=op.f('fk_attachment_component_id_dossier_component'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_attachment_dossier_id_dossier'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment'))
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachment_component_id'), ['component_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachment_dossier_id'), ['dossier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachment_sha256'), ['sha256'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_sha256'))
        batch_op.drop_index(batch_op.f('ix_attachment_dossier_id'))
        batch_op.drop_index(batch_op.f('ix_attachment_component_id'))

    op.drop_table('attachment')
    with op.batch_alter_table('supplement_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supplement_request_dossier_id'))

    op.drop_table('supplement_request')
    with op.batch_alter_table('status_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_status_change_dossier_id'))

    op.drop_table('status_change')
    with op.batch_alter_table('dossier_warning', schema=None) as batch_op:
        batch_op.drop_index('ix_dossier_warning_rule')
        batch_op.drop_index(batch_op.f('ix_dossier_warning_dossier_id'))

    op.drop_table('dossier_warning')
    with op.batch_alter_table('dossier_component', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dossier_component_dossier_id'))

    op.drop_table('dossier_component')
    with op.batch_alter_table('procedure_component', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_procedure_component_procedure_id'))

    op.drop_table('procedure_component')
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.drop_index('ix_dossier_status_received')
        batch_op.drop_index('ix_dossier_received_at')
        batch_op.drop_index('ix_dossier_procedure_received')
        batch_op.drop_index('ix_dossier_phone')
        batch_op.drop_index('ix_dossier_officer_received')
        batch_op.drop_index('ix_dossier_id_number')
        batch_op.drop_index('ix_dossier_due_at')
        batch_op.drop_index('ix_dossier_channel_received')
        batch_op.drop_index('ix_dossier_applicant_fold')

    op.drop_table('dossier')
    with op.batch_alter_table('procedure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_procedure_name_fold'))

    op.drop_table('procedure')
    op.drop_table('officer')
    op.drop_table('holiday')
    op.drop_table('hamlet')
    op.drop_table('commune_profile')
    op.drop_table('campaign')
    op.drop_table('app_setting')
