import gc
import sys

import pytest
from PySide6.QtCore import QObject

from desktop_app.ui.app import create_application
from desktop_app.ui.qt_fixes import GIL_SWITCH_INTERVAL, UiThreadGarbageCollector, hand_the_gil_over_quickly


def test_the_collector_runs_on_the_ui_thread_timer(qtbot):
    owner = QObject()
    collector = UiThreadGarbageCollector(owner)
    assert not gc.isenabled()
    assert collector.timer.isActive()

    class Cycle:
        pass

    a, b = Cycle(), Cycle()
    a.other, b.other = b, a
    del a, b
    before = gc.get_count()[0]
    collector.collect()
    assert gc.get_count()[0] < max(before, 1)
    collector.timer.stop()


def test_the_application_hands_the_gil_to_the_ui_thread_within_a_millisecond(qapp):
    sys.setswitchinterval(0.005)  # CPython's default
    try:
        assert create_application() is qapp
        assert sys.getswitchinterval() == pytest.approx(GIL_SWITCH_INTERVAL) == pytest.approx(0.001)
    finally:
        hand_the_gil_over_quickly()  # what the GUI tests run with (conftest)
