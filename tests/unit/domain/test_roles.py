"""The permission table of the three roles (SPEC §9)."""

from __future__ import annotations

import pytest

from desktop_app.domain.roles import PERMISSIONS, Permission, Role, allows

LEADER_ONLY = [Permission.EDIT_CATALOGUE, Permission.EDIT_SCORING, Permission.EDIT_CAMPAIGNS,
               Permission.MANAGE_ACCOUNTS, Permission.DELETE_DOSSIER]


@pytest.mark.parametrize("permission", LEADER_ONLY)
def test_only_leaders_and_administrators_change_shared_settings_and_delete(permission):
    assert allows("lanh_dao", permission)
    assert allows("quan_tri", permission)
    assert not allows("tiep_nhan", permission)


@pytest.mark.parametrize("role", list(Role))
def test_everyone_receives_and_processes_dossiers(role):
    assert allows(role, Permission.RECEIVE) and allows(role, Permission.PROCESS)


def test_the_table_as_a_whole():
    assert {role.value: sorted(p.value for p in perms) for role, perms in PERMISSIONS.items()} == {
        "tiep_nhan": ["process", "receive"],
        "lanh_dao": sorted(p.value for p in Permission),
        "quan_tri": sorted(p.value for p in Permission),
    }


def test_unknown_role_or_permission_may_do_nothing():
    assert not allows("khach", Permission.RECEIVE)
    assert not allows(None, Permission.RECEIVE)
    assert not allows("quan_tri", "xoa_tat_ca")


def test_labels_are_vietnamese():
    assert Role.LANH_DAO.label == "Lãnh đạo"
    assert Permission.DELETE_DOSSIER.label == "xóa hồ sơ"
