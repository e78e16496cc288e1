"""Run one notebook in JupyterLab in a real browser and measure what a participant sees.

usage: browser_notebook.py NOTEBOOK OUT_DIR KERNEL_NAME [TIMEOUT_SECONDS]

Starts JupyterLab on the notebook's folder (a free port, no token, its own settings and
workspaces under OUT_DIR, autosave off so the committed notebook is never written), opens the
notebook in headless Chromium (DLINTRO_CHROMIUM, default /usr/bin/chromium) driven by
Playwright, checks that it runs in KERNEL_NAME, runs all cells with JupyterLab's own "Run All
Cells" and waits until it is done. Then, at 1280×720 and at 1024×768, it measures every code
cell: its prompt, the text of its error and stderr outputs, every figure (an img or svg in
its outputs: loaded, visible, its width against the output area's) and every output that
scrolls sideways. It writes the measurements to OUT_DIR/NAME.json, for
`dlintro_notebooks::browser::check_browser` to judge, and screenshots at 1280×720: OUT_DIR/NAME.png
(scrolled to the first figure) and OUT_DIR/NAME-full.png (the whole notebook).

Exit status: 0 when the measurements were written, 2 when the notebook could not be run.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORTS = [(1280, 720), (1024, 768)]
# Chromium draws nothing past this height in one screenshot.
MAX_SCREENSHOT_HEIGHT = 16000

# What a participant sees in every code cell; figures scrolled into view one by one, so
# that JupyterLab's windowing has laid them out.
MEASURE = """
async () => {
  const panel = window.jupyterapp.shell.currentWidget;
  const result = [];
  for (const [i, widget] of panel.content.widgets.entries()) {
    if (widget.model.type !== 'code') continue;
    const cell = widget.node;
    if (widget.model.outputs.length > 0) {
      // Laid out only near the viewport (JupyterLab's windowing): bring it there first.
      cell.scrollIntoView({block: 'start'});
      await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    }
    const source = widget.model.sharedModel.getSource();
    const errors = [...cell.querySelectorAll(
      '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
      .map(e => e.textContent);
    const text = [...cell.querySelectorAll('.jp-OutputArea-output')]
      .map(e => e.textContent).join('\\n');
    const figures = [];
    for (const el of cell.querySelectorAll(
        '.jp-OutputArea-output img, .jp-OutputArea-output svg:not(svg svg)')) {
      el.scrollIntoView({block: 'center'});
      if (el.tagName === 'IMG') { try { await el.decode(); } catch (e) {} }
      await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
      const area = el.closest('.jp-OutputArea-output');
      const box = el.getBoundingClientRect();
      const areaBox = area.getBoundingClientRect();
      const style = getComputedStyle(area);
      const inner = areaBox.right - parseFloat(style.paddingRight)
        - parseFloat(style.borderRightWidth);
      const left = areaBox.left + parseFloat(style.paddingLeft)
        + parseFloat(style.borderLeftWidth);
      const img = el.tagName === 'IMG';
      figures.push({
        tag: el.tagName.toLowerCase(),
        alt: el.getAttribute('alt') || '',
        mime: img ? ((el.src.match(/^data:([^;,]+)/) || [])[1] || 'url') : 'svg',
        loaded: !img || (el.complete && el.naturalWidth > 0),
        visible: el.checkVisibility() && box.width > 0 && box.height > 0,
        width: box.width,
        height: box.height,
        natural_width: img ? el.naturalWidth : box.width,
        natural_height: img ? el.naturalHeight : box.height,
        area_width: inner - left,
        overhang: box.right - inner,
      });
    }
    const overflowing = [...cell.querySelectorAll(
        '.jp-OutputArea-output, .jp-OutputArea-output *')]
      .filter(e => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1
              && !['visible', 'hidden', 'clip'].includes(getComputedStyle(e).overflowX))
      .map(e => ({what: [e.tagName.toLowerCase(), ...e.classList].join('.'),
                  scroll_width: e.scrollWidth, width: e.clientWidth}));
    result.push({cell: i + 1, execution_count: widget.model.executionCount,
                 empty: source.trim() === '', source: source.split('\\n')[0].slice(0, 80),
                 errors, text, figures, overflowing});
  }
  return result;
}
"""

# The notebook's height when every cell is laid out: its scrolling panel plus what sits above.
FULL_HEIGHT = """
() => {
  const scroller = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer');
  if (!scroller) return 0;
  return scroller.scrollHeight + scroller.getBoundingClientRect().top + 40;
}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_lab(root: Path, out: Path, port: int, log):
    settings = out / "lab-settings"
    # Autosave off: the browser must never write the committed notebook.
    docmanager = settings / "@jupyterlab" / "docmanager-extension"
    docmanager.mkdir(parents=True, exist_ok=True)
    (docmanager / "plugin.jupyterlab-settings").write_text('{"autosave": false}\n')
    env = dict(os.environ)
    env["JUPYTERLAB_SETTINGS_DIR"] = str(settings)
    env["JUPYTERLAB_WORKSPACES_DIR"] = str(out / "lab-workspaces")
    args = [
        sys.executable, "-m", "jupyterlab", "--no-browser",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        "--ServerApp.token=", "--ServerApp.password=", f"--ServerApp.root_dir={root}",
        "--LabApp.expose_app_in_browser=True",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--allow-root")
    lab = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT,
                           start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if lab.poll() is not None:
            raise RuntimeError(f"JupyterLab stopped at start-up (log: {log.name})")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status", timeout=2)
            return lab
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"JupyterLab did not answer within 60 s (log: {log.name})")


def wait_for_kernel(page, kernel_name: str, timeout: float) -> str:
    """Waits until the notebook's kernel is started and idle; returns its name."""
    page.wait_for_function(
        """() => {
          const panel = window.jupyterapp?.shell.currentWidget;
          const kernel = panel?.sessionContext?.session?.kernel;
          return kernel && kernel.status === 'idle' && panel.content.widgets.length > 0;
        }""",
        timeout=timeout * 1000,
    )
    return page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.name")


def run_all(page, name: str, timeout: float) -> dict:
    """Runs every cell with JupyterLab's own command; prints progress while it runs."""
    page.evaluate(
        """() => {
          window.__dlintroDone = null;
          window.jupyterapp.commands.execute('notebook:run-all-cells').then(
            ok => { window.__dlintroDone = {ok: ok !== false}; },
            error => { window.__dlintroDone = {ok: false, error: String(error)}; });
        }"""
    )
    start = time.monotonic()
    shown = None
    while True:
        done = page.evaluate("() => window.__dlintroDone")
        if done is not None:
            return done
        elapsed = time.monotonic() - start
        if elapsed > timeout:
            return {"ok": False, "error": f"still running after {timeout:.0f} s"}
        running = page.evaluate(
            """() => [...document.querySelectorAll('.jp-CodeCell')]
                 .findIndex(c => (c.querySelector('.jp-InputArea-prompt')?.textContent || '')
                                 .includes('*'))"""
        )
        if running != shown and running >= 0 and elapsed > 20:
            print(f"      {name}: {elapsed:.0f} s, running code cell {running + 1}", flush=True)
            shown = running
        time.sleep(1)


def screenshots(page, out: Path, name: str):
    first = page.query_selector(".jp-OutputArea-output img, .jp-OutputArea-output svg:not(svg svg)")
    if first is not None:
        # The cell at the top: its code, then its figure.
        page.evaluate("el => el.closest('.jp-Cell').scrollIntoView({block: 'start'})", first)
    page.wait_for_timeout(300)
    page.screenshot(path=str(out / f"{name}.png"))
    height = min(int(page.evaluate(FULL_HEIGHT)), MAX_SCREENSHOT_HEIGHT)
    if height > 0:
        page.set_viewport_size({"width": VIEWPORTS[0][0], "height": height})
        page.evaluate(
            "() => document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer').scrollTo(0, 0)"
        )
        page.wait_for_timeout(500)
        page.screenshot(path=str(out / f"{name}-full.png"))


def main() -> int:
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    notebook = Path(sys.argv[1]).resolve()
    out = Path(sys.argv[2]).resolve()
    kernel_name = sys.argv[3]
    timeout = float(sys.argv[4]) if len(sys.argv) > 4 else 1800
    name = notebook.stem
    out.mkdir(parents=True, exist_ok=True)
    # Stopped from outside (Ctrl-C, a test timeout): still stop JupyterLab and its kernel.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    chromium = os.environ.get("DLINTRO_CHROMIUM", "/usr/bin/chromium")
    before = notebook.read_bytes()
    port = free_port()
    report = {"notebook": notebook.name, "kernel": None, "run": None, "viewports": {}}
    started = time.monotonic()
    with open(out / f"{name}-lab.log", "w") as log:
        lab = start_lab(notebook.parent, out, port, log)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": VIEWPORTS[0][0], "height": VIEWPORTS[0][1]})
                console = []
                page.on("pageerror", lambda e: console.append(str(e)))
                page.goto(f"http://127.0.0.1:{port}/lab/tree/{notebook.name}?reset")
                report["kernel"] = wait_for_kernel(page, kernel_name, 180)
                if report["kernel"] != kernel_name:
                    print(f"{notebook.name} opened with the kernel {report['kernel']!r}, "
                          f"expected {kernel_name!r}", file=sys.stderr)
                    return 2
                report["run"] = run_all(page, name, timeout)
                report["run_seconds"] = round(time.monotonic() - started, 1)
                for width, height in VIEWPORTS:
                    page.set_viewport_size({"width": width, "height": height})
                    page.wait_for_timeout(500)
                    report["viewports"][f"{width}x{height}"] = page.evaluate(MEASURE)
                page.set_viewport_size({"width": VIEWPORTS[0][0], "height": VIEWPORTS[0][1]})
                page.wait_for_timeout(500)
                screenshots(page, out, name)
                report["page_errors"] = console
                page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.shutdown()")
                browser.close()
        finally:
            lab.terminate()
            try:
                lab.wait(timeout=20)
            except subprocess.TimeoutExpired:
                lab.kill()
    report["notebook_unchanged"] = notebook.read_bytes() == before
    report["seconds"] = round(time.monotonic() - started, 1)
    (out / f"{name}.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
