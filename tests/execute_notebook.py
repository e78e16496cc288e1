"""Execute one notebook in a fresh kernel through Jupyter's own machinery (nbclient).

usage: execute_notebook.py NOTEBOOK EXECUTED_COPY KERNEL_NAME [CELL_TIMEOUT_SECONDS [WORKDIR]]

The kernel starts in WORKDIR (default: the notebook's folder), where the notebooks'
`:dep dlintro = { path = "../crate" }` must find the crate.

The executed copy is written even when a cell fails or times out, so the caller can read
every output up to the failure. Exit status: 0 when every cell ran, 3 when a cell raised an
error or timed out, 2 when the notebook could not be run at all.

The executed copy's metadata records, under "dlintro", how long the whole run took, how long
the kernel took to start (before the first cell could run), and the kernel's peak memory:
its processes' resident memory summed and sampled every 0.2 s, without and with the
compiler processes it starts (`cargo xtask bench` reports them).
"""

import os
import queue
import sys
import threading
import time

import nbformat
from nbclient import NotebookClient
from nbclient.util import ensure_async
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError


class PeakMemory:
    """Samples the resident memory of a kernel's process tree until stopped (psutil, which
    Jupyter installs; without it nothing is measured)."""

    def __init__(self):
        self.kernel_mb = 0.0
        self.with_compiler_mb = 0.0
        self.stopping = threading.Event()
        self.thread = None

    def start(self, pid):
        try:
            import psutil
        except ImportError:
            return
        self.thread = threading.Thread(target=self.sample, args=(psutil, pid), daemon=True)
        self.thread.start()

    def sample(self, psutil, pid):
        try:
            root = psutil.Process(pid)
        except psutil.Error:
            return
        kernel_exe = os.path.basename(root.exe() or "")
        while not self.stopping.wait(0.2):
            try:
                processes = [root] + root.children(recursive=True)
            except psutil.Error:
                return
            kernel = everything = 0
            for process in processes:
                try:
                    rss = process.memory_info().rss
                    exe = os.path.basename(process.exe() or "")
                except psutil.Error:
                    continue
                everything += rss
                # evcxr runs the cells in a second process of its own executable.
                if exe == kernel_exe:
                    kernel += rss
            self.kernel_mb = max(self.kernel_mb, kernel / 2**20)
            self.with_compiler_mb = max(self.with_compiler_mb, everything / 2**20)

    def stop(self):
        self.stopping.set()
        if self.thread:
            self.thread.join()


class LateOutputClient(NotebookClient):
    """nbclient that keeps a cell's late output, as JupyterLab does.

    evcxr forwards a cell's stdout on another thread than the one that answers the cell. So
    the last line can reach the kernel's iopub channel after the cell's "idle" status, where
    nbclient has stopped listening: it would drop the line when the next cell started, while
    JupyterLab still shows it under its cell. Before each cell runs, and for a moment after the
    last one, the outputs that belong to the cell before are put where they belong.
    """

    OUTPUTS = ("stream", "display_data", "execute_result", "error")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.finished = None  # (cell, index, the request's msg_id) of the last cell run
        self.on_cell_executed = self.remember

    def remember(self, cell, cell_index, execute_reply):
        self.finished = (cell, cell_index, execute_reply["parent_header"].get("msg_id"))

    async def collect_late(self, wait):
        if self.finished is None:
            return
        cell, index, msg_id = self.finished
        while True:
            try:
                msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=wait))
            except queue.Empty:
                return
            if (msg["parent_header"].get("msg_id") == msg_id
                    and msg["msg_type"] in self.OUTPUTS):
                self.process_message(msg, cell, index)

    async def async_execute_cell(self, cell, cell_index, execution_count=None,
                                 store_history=True):
        await self.collect_late(0)
        result = await super().async_execute_cell(cell, cell_index, execution_count,
                                                  store_history)
        last = max(i for i, c in enumerate(self.nb.cells) if c.cell_type == "code")
        if cell_index == last:
            await self.collect_late(0.5)
        return result


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
    client = LateOutputClient(
        nb,
        kernel_name=kernel_name,
        timeout=timeout,
        startup_timeout=120,
        allow_errors=False,
        resources={"metadata": {"path": workdir}},
    )
    status = 0
    start = time.monotonic()
    ready = {}
    memory = PeakMemory()

    def on_notebook_start(notebook):
        ready["seconds"] = time.monotonic() - start
        memory.start(client.km.provisioner.pid)

    client.on_notebook_start = on_notebook_start
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as error:
        print(f"{source}: {type(error).__name__}", file=sys.stderr)
        status = 3
    finally:
        memory.stop()
        os.makedirs(os.path.dirname(os.path.abspath(executed)), exist_ok=True)
        nb.metadata["dlintro"] = {
            "seconds": round(time.monotonic() - start, 1),
            "kernel_start_seconds": round(ready["seconds"], 2) if ready else None,
            "peak_memory_mb": round(memory.kernel_mb) or None,
            "peak_memory_with_compiler_mb": round(memory.with_compiler_mb) or None,
        }
        nbformat.write(nb, executed)
    return status


if __name__ == "__main__":
    sys.exit(main())
