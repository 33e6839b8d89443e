import gc

from PySide6.QtCore import QObject

from desktop_app.ui.qt_fixes import UiThreadGarbageCollector


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
