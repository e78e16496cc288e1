"""Open one notebook as slides (RISE's page, as `cargo xtask present` does) and measure its text.

usage: browser_slides.py NOTEBOOK OUT_DIR

Starts JupyterLab on the notebook's folder (no kernel is run: the slides' text is what is
measured), opens /rise/NOTEBOOK in headless Chromium (DLINTRO_CHROMIUM, default
/usr/bin/chromium) at 1280×720, the projector's size, and measures the height in pixels of
the text a room reads: a paragraph of a Markdown cell, a line of code, a slide's title. It writes
them to OUT_DIR/NAME-slides.json and a screenshot of the first slide with code to
OUT_DIR/NAME-slides.png.

Exit status: 0 when the measurements were written, 2 when the slides could not be opened.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).parent))
from browser_notebook import CHROMIUM_ARGS, free_port, start_lab  # noqa: E402

VIEWPORT = (1280, 720)

# The computed font size of the first visible element that each selector finds, in pixels.
MEASURE = """
() => {
  const shown = [...document.querySelectorAll('.reveal .slides section.present')];
  const first = selector => shown.flatMap(s => [...s.querySelectorAll(selector)])
    .find(e => e.getBoundingClientRect().height > 0 && e.textContent.trim() !== '');
  const size = selector => {
    const el = first(selector);
    return el ? parseFloat(getComputedStyle(el).fontSize) : null;
  };
  // How many characters of code fit across the editor: a line of 100 must.
  let columns = null;
  const line = first('.jp-CodeCell .jp-InputArea .cm-line');
  if (line) {
    const probe = document.createElement('span');
    probe.textContent = 'x'.repeat(50);
    line.appendChild(probe);
    const perChar = probe.getBoundingClientRect().width / 50;
    probe.remove();
    const content = line.closest('.cm-scroller');
    columns = Math.floor((content.clientWidth - 16) / perChar);
  }
  return {
    paragraph: size('.jp-MarkdownCell .jp-RenderedHTMLCommon p'),
    list: size('.jp-MarkdownCell .jp-RenderedHTMLCommon li'),
    title: size('.jp-MarkdownCell .jp-RenderedHTMLCommon h1, .jp-MarkdownCell .jp-RenderedHTMLCommon h2'),
    code: size('.jp-CodeCell .jp-InputArea .cm-line'),
    prompt: size('.jp-CodeCell .jp-InputPrompt'),
    code_columns: columns,
  };
}
"""


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    notebook = Path(sys.argv[1]).resolve()
    out = Path(sys.argv[2]).resolve()
    out.mkdir(parents=True, exist_ok=True)
    name = notebook.stem
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    chromium = os.environ.get("DLINTRO_CHROMIUM", "/usr/bin/chromium")
    port = free_port()
    report = {"notebook": notebook.name, "viewport": list(VIEWPORT), "sizes": {}}
    with open(out / f"{name}-slides-lab.log", "w") as log:
        lab = start_lab(notebook.parent, out / "slides", port, log)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": VIEWPORT[0], "height": VIEWPORT[1]})
                page.goto(f"http://127.0.0.1:{port}/rise/{notebook.name}")
                page.wait_for_selector(".reveal .slides section", timeout=120_000)
                page.wait_for_timeout(3000)
                report["sizes"]["first slide"] = page.evaluate(MEASURE)
                page.screenshot(path=str(out / f"{name}-slides.png"))
                # The slides that follow, until one shows code.
                page.mouse.click(VIEWPORT[0] // 2, VIEWPORT[1] - 40)
                shown = report["sizes"]["first slide"]
                for _ in range(12):
                    if shown["code"] is not None and shown["paragraph"] is not None:
                        break
                    page.keyboard.press("ArrowRight")
                    page.wait_for_timeout(800)
                    shown = page.evaluate(MEASURE)
                report["sizes"]["slide with code"] = shown
                page.screenshot(path=str(out / f"{name}-slides-code.png"))
                browser.close()
        finally:
            lab.terminate()
            try:
                lab.wait(timeout=20)
            except subprocess.TimeoutExpired:
                lab.kill()
    (out / f"{name}-slides.json").write_text(json.dumps(report, indent=1))
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
