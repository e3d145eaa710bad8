"""The guard against PySide6 6.12's dropped references to None and True on Python 3.11."""

from __future__ import annotations

import sys

import pytest

from memdiff.gui import qt_compat


@pytest.mark.skipif(not qt_compat.singletons_counted(), reason="None and True are immortal on this Python")
def test_singletons_have_a_reserve_after_import():
    # Half the reserve: the tests before this one have already spent some of it (a few hundred
    # references), which is what it is for; without the guard the count would be a few thousand.
    assert sys.getrefcount(None) > qt_compat.RESERVE // 2
    assert sys.getrefcount(True) > qt_compat.RESERVE // 2
    assert sys.getrefcount(False) > qt_compat.RESERVE // 2
    # A second call finds the reserve in place and changes nothing.
    assert qt_compat.protect_singletons() is False


def test_many_void_calls_and_emits_do_not_abort(qtbot):
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QLabel

    class Source(QObject):
        fired = Signal()

    label = QLabel()
    qtbot.addWidget(label)
    source = Source()
    received = []
    source.fired.connect(lambda: received.append(1))
    # Each of these used to lower None's or True's count by one; 20,000 would exhaust them.
    for i in range(10_000):
        label.setText(str(i))
        source.fired.emit()
    assert label.text() == "9999"
    assert len(received) == 10_000
