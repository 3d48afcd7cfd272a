"""Memory of an export: the peak of Python's allocations while a response is read.

Used by test_export_memory.py: an export must hold one batch of rows at a time, so its peak
may not grow with the rows it writes. tracemalloc counts every allocation made through
Python's allocator (the database driver's rows, the ORM's objects, the text written), which
is what grows when an export keeps its rows; it is exact and unaffected by other processes,
unlike a process's resident memory (measured by bench/export_memory.py).
"""

import gc
import tracemalloc
from collections.abc import Callable


def read_body(response) -> int:
    """Read a response's body as a client does, piece by piece, keeping none of it: its size
    in bytes. (The test client closes a streamed response once it is read.)"""
    if response.streaming:
        size = 0
        for piece in response.streaming_content:
            size += len(piece)
        return size
    return len(response.content)


def peak_allocation(work: Callable[[], object]) -> int:
    """Bytes allocated at the peak while `work()` runs, above what was allocated before."""
    gc.collect()
    tracemalloc.start()
    try:
        before, _peak = tracemalloc.get_traced_memory()
        work()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - before
