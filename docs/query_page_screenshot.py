"""Screenshot of the query page that `kg serve` serves, with a question typed in and answered.

Usage: python docs/query_page_screenshot.py   (writes docs/query-page.png; needs Debian's chromium)
"""

import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.browser import open_page  # noqa: E402
from kg.query import get_query  # noqa: E402

QUESTION = get_query("coverage-documents").text

def main() -> int:
    import json

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--port", str(port)], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
    try:
        print(server.stdout.readline().strip())
        script = ("new Promise(function (done) {"
                  " var cm = document.querySelector('.CodeMirror').CodeMirror;"
                  f" cm.setValue({json.dumps(QUESTION)});"
                  " document.querySelector('.yasqe_queryButton').click();"
                  " setTimeout(function () { done(document.querySelectorAll('.yasr tbody tr').length); }, 3000);"
                  "})")
        report = open_page(f"http://127.0.0.1:{port}/", offline=False, width=1400, height=900, timeout=30,
                           ready="!!(document.querySelector('.CodeMirror') && document.querySelector('.yasqe_queryButton'))",
                           evaluate=script, screenshot=ROOT / "docs" / "query-page.png")
        print(f"result rows shown: {report.result}; console errors: {report.errors}")
    finally:
        server.terminate()
        server.wait(timeout=20)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
