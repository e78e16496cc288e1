"""Kernel ▸ Interrupt in JupyterLab in a real browser: the ■ button during a long `fit`.

usage: browser_interrupt.py CRATE OUT_DIR KERNEL_NAME

Writes OUT_DIR/interrupt.ipynb (its `:dep` names CRATE), opens it in JupyterLab in headless
Chromium (DLINTRO_CHROMIUM, default /usr/bin/chromium) with KERNEL_NAME, runs all its cells
with "Run All Cells", clicks the toolbar's ■ (Interrupt the kernel) a few seconds into the
100,000-epoch fit, and waits until the last cell, which uses every variable, has run. Writes
what the page showed to OUT_DIR/interrupt.json (the text of each code cell's outputs, its
errors, its execution count, and the seconds from the click until the fit's cell showed its
interrupt line), for tests/browser.rs to judge, and a screenshot, OUT_DIR/interrupt.png.

Exit status: 0 when the measurements were written, 2 when the notebook could not be run.
"""

import json
import os
import signal
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from browser_notebook import CHROMIUM_ARGS, free_port, start_lab, wait_for_kernel
from interrupt_kernel import FIT, SETUP

FIT_CELL = 3  # from 0
# The same model and fit as the kernel's interrupt test, with the crate's path of this run.
CELLS = [
    ':dep dlintro = {{ path = "{crate}" }}',
    *SETUP[1:],
    FIT,
    'println!("{} {} {}", names.len(), history.epochs(), history.interrupted());\n'
    'println!("{:?}", model.predict_classes(&probe, &names)?);',
]

CELL_STATE = """
() => [...window.jupyterapp.shell.currentWidget.content.widgets]
  .filter(w => w.model.type === 'code')
  .map(w => ({
    count: w.model.executionCount,
    text: [...w.node.querySelectorAll('.jp-OutputArea-output')].map(e => e.textContent).join('\\n'),
    errors: [...w.node.querySelectorAll(
      '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
      .map(e => e.textContent),
  }))
"""

KERNEL_STATUS = "() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status"


def write_notebook(path: Path, crate: Path, kernel_name: str):
    cells = [
        {"cell_type": "code", "execution_count": None, "id": f"cell-{i}", "metadata": {},
         "outputs": [], "source": source.format(crate=crate) if i == 0 else source}
        for i, source in enumerate(CELLS)
    ]
    notebook = {
        "cells": cells,
        "metadata": {"kernelspec": {"name": kernel_name, "display_name": kernel_name,
                                    "language": "rust"}},
        "nbformat": 4, "nbformat_minor": 5,
    }
    path.write_text(json.dumps(notebook, indent=1))


def wait_until(page, test, timeout, step=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = page.evaluate(CELL_STATE)
        if test(state):
            return state
        time.sleep(step)
    return None


def main() -> int:
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    crate, out, kernel_name = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve(), sys.argv[3]
    folder = out / "interrupt"
    folder.mkdir(parents=True, exist_ok=True)
    notebook = folder / "interrupt.ipynb"
    write_notebook(notebook, crate, kernel_name)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    chromium = os.environ.get("DLINTRO_CHROMIUM", "/usr/bin/chromium")
    report = {"kernel": None}
    with open(out / "interrupt-lab.log", "w") as log:
        port = free_port()
        lab = start_lab(folder, out, port, log)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 720})
                page.goto(f"http://127.0.0.1:{port}/lab/tree/{notebook.name}?reset")
                report["kernel"] = wait_for_kernel(page, kernel_name, 180)
                # Not awaited: Playwright would wait for the whole run.
                page.evaluate(
                    "() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
                # The fit has run for a while: its first epoch is on the page.
                fitting = wait_until(
                    page, lambda s: "Epoch 1/100000" in s[FIT_CELL]["text"], 600, step=0.2)
                report["fit_started"] = fitting is not None
                if not report["fit_started"]:
                    report["cells"] = page.evaluate(CELL_STATE)
                else:
                    time.sleep(3)
                    # evcxr announces a cell's execution count as it starts, so JupyterLab
                    # shows it instead of [*]: the fit runs while the kernel is busy and the
                    # next cell has not started.
                    state = page.evaluate(CELL_STATE)
                    report["before_click"] = {"kernel": page.evaluate(KERNEL_STATUS),
                                              "cells": state}
                    report["running_before_click"] = (
                        page.evaluate(KERNEL_STATUS) == "busy"
                        and state[-1]["count"] is None
                        and "Epoch 100000/100000" not in state[FIT_CELL]["text"])
                    button = page.locator(
                        '.jp-NotebookPanel-toolbar [data-command="notebook:interrupt-kernel"]')
                    clicked = time.monotonic()
                    button.click()
                    ended = wait_until(
                        page, lambda s: "Interrupted after" in s[FIT_CELL]["text"], 30)
                    report["ended_s"] = time.monotonic() - clicked if ended else None
                    waited = time.monotonic()
                    # Done: the last cell has its count and both of its lines, and the kernel
                    # is idle. Its first line alone is not enough: JupyterLab can show the
                    # kernel idle (a reply to one of its own requests) while a cell still runs.
                    done = wait_until(
                        page, lambda s: s[-1]["count"] is not None
                        and s[-1]["text"].count("\n") >= 2
                        and page.evaluate(KERNEL_STATUS) == "idle",
                        300)
                    report["last_cell_s"] = time.monotonic() - waited if done else None
                    report["kernel_after"] = page.evaluate(KERNEL_STATUS)
                    report["cells"] = done if done else page.evaluate(CELL_STATE)
                page.screenshot(path=str(out / "interrupt.png"))
                page.evaluate(
                    "() => window.jupyterapp.shell.currentWidget.sessionContext.shutdown()")
                browser.close()
        finally:
            lab.terminate()
            try:
                lab.wait(timeout=20)
            except Exception:
                lab.kill()
    (out / "interrupt.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
