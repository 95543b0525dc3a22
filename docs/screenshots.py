"""Refresh the screenshots of the site in docs/ (headless Chromium, as the browser tests drive it).

    kg build && kg site                 # in a project (here: the corpus)
    python docs/screenshots.py output/site docs

writes ``site-factsheet.png`` (a fact sheet), ``site-source.png`` (a footnote opened: its words
highlighted in the source), ``site-graph.png`` (the network) and ``site-search.png`` (a search).
Needs Debian's ``chromium`` and ``chromium-driver`` and the test extras (selenium).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By


def driver(width: int, height: int) -> tuple[webdriver.Chrome, str]:
    profile = tempfile.mkdtemp(prefix="kg-shots-")
    options = Options()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                 f"--user-data-dir={profile}", f"--window-size={width},{height}"):
        options.add_argument(flag)
    service = Service(shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(service=service, options=options), profile


def main(site: Path, docs: Path) -> None:
    d, profile = driver(1200, 900)
    try:
        d.get((site / "entity" / "person-sal-naseem.html").as_uri())
        d.save_screenshot(str(docs / "site-factsheet.png"))
        d.get((site / "entity" / "investigation-operation-hotton.html").as_uri())
        marker = d.find_elements(By.CSS_SELECTOR, "sup.fn a")[9]
        d.execute_script("arguments[0].scrollIntoView({block: 'center'});", marker)
        marker.click()
        time.sleep(0.5)
        d.save_screenshot(str(docs / "site-source.png"))
        d.get((site / "index.html").as_uri())
        box = d.find_element(By.CSS_SELECTOR, "nav.site input[name=q]")
        box.send_keys("naseem culture")
        box.submit()
        time.sleep(0.5)
        d.save_screenshot(str(docs / "site-search.png"))
        d.set_window_size(1400, 1100)
        d.get((site / "graph.html").as_uri())
        d.save_screenshot(str(docs / "site-graph.png"))
    finally:
        d.quit()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
