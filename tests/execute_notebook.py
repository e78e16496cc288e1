"""Execute one notebook in a fresh kernel through Jupyter's own machinery (nbclient).

usage: execute_notebook.py NOTEBOOK EXECUTED_COPY KERNEL_NAME [CELL_TIMEOUT_SECONDS [WORKDIR]]

The kernel starts in WORKDIR (default: the notebook's folder), where the notebooks'
`:dep dlintro = { path = "../crate" }` must find the crate.

The executed copy is written even when a cell fails or times out, so the caller can read
every output up to the failure. Exit status: 0 when every cell ran, 3 when a cell raised an
error or timed out, 2 when the notebook could not be run at all.
"""

import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError


def main() -> int:
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    source, executed, kernel_name = sys.argv[1:4]
    timeout = int(sys.argv[4]) if len(sys.argv) > 4 else 1200
    workdir = sys.argv[5] if len(sys.argv) > 5 else os.path.dirname(os.path.abspath(source))
    nb = nbformat.read(source, as_version=4)
    named = nb.metadata.get("kernelspec", {}).get("name")
    if named != kernel_name:
        print(
            f"{source} names the kernel {named!r}, but the workshop runs every notebook in "
            f"{kernel_name!r}. Open it in JupyterLab and pick 'Rust (Deep Learning Intro)' "
            f"under Kernel > Change Kernel, then save it.",
            file=sys.stderr,
        )
        return 2
    client = NotebookClient(
        nb,
        kernel_name=kernel_name,
        timeout=timeout,
        startup_timeout=120,
        allow_errors=False,
        resources={"metadata": {"path": workdir}},
    )
    status = 0
    start = time.monotonic()
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as error:
        print(f"{source}: {type(error).__name__}", file=sys.stderr)
        status = 3
    finally:
        os.makedirs(os.path.dirname(os.path.abspath(executed)), exist_ok=True)
        nb.metadata["dlintro_seconds"] = round(time.monotonic() - start, 1)
        nbformat.write(nb, executed)
    return status


if __name__ == "__main__":
    sys.exit(main())
