"""The cyclic collector is paused inside the block and left as it was after it."""
from __future__ import annotations

import gc

import pytest

from kg.gcpause import cyclic_gc_paused


@pytest.mark.parametrize("enabled_before", [True, False])
def test_gcpause_restores_the_collector_s_state(enabled_before):
    gc.enable() if enabled_before else gc.disable()
    try:
        with cyclic_gc_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled_before
    finally:
        gc.enable()


def test_gcpause_restores_the_collector_after_an_error():
    gc.enable()
    with pytest.raises(ZeroDivisionError):
        with cyclic_gc_paused():
            1 / 0
    assert gc.isenabled()


def test_gcpause_as_a_decorator():
    @cyclic_gc_paused()
    def inside() -> bool:
        return gc.isenabled()

    gc.enable()
    assert (inside(), gc.isenabled()) == (False, True)
