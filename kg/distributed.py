"""Extraction on a Dask cluster: ``kg build --executor dask [--scheduler ADDRESS]``.

Documents go to the workers one task each; the extractions come back and the build continues
exactly as with local processes.  The result does not depend on which worker extracted what or
in which order the extractions arrived: linking and writing sort by document, so a Dask build
gives byte-identical output to a local one.

Without ``--scheduler``, a local cluster is started on 127.0.0.1 with one single-threaded worker
process per core.  With one, the workers must run the same version of kg (``pip install kg`` in
their environment; see README "Past one machine").
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence

from .errors import KGError
from .extract import extract_document
from .model import Document, Extraction


def extract_with_dask(
    docs: Sequence[Document], scheduler: str | None, progress: Callable[[int, int], None] | None = None
) -> Iterator[Extraction]:
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError as exc:
        raise KGError(
            "Dask is not installed", "in this Python environment", "pip install 'dask[distributed]' (or install kg's test extras)"
        ) from exc
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout=30)
        else:
            cluster = LocalCluster(
                n_workers=os.cpu_count() or 1, threads_per_worker=1, processes=True,
                host="127.0.0.1", dashboard_address=None,
            )
            client = Client(cluster)
    except OSError as exc:
        raise KGError(
            f"cannot reach the Dask scheduler ({exc})", f"at {scheduler or 'a local cluster'}",
            "start it (dask scheduler) and its workers, or leave out --scheduler for a local cluster",
        ) from exc
    try:
        futures = client.map(extract_document, list(docs), key=[f"kg-extract-{d.id}-{d.sha256[:12]}" for d in docs])
        for done, future in enumerate(as_completed(futures), 1):
            yield future.result()
            if progress:
                progress(done, len(docs))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
