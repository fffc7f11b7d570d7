"""Screenshots of the actor network and of one neighbourhood, for the README.

Usage: python docs/network_screenshots.py   (after kg build; writes docs/actor-network*.png; needs chromium)
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg import network  # noqa: E402
from kg.browser import open_page  # noqa: E402
from kg.render import write_page  # noqa: E402
from kg.store import built_file, open_engine  # noqa: E402


def main() -> int:
    engine = open_engine(built_file(ROOT))
    actors = network.actor_network(engine)
    out = ROOT / "build" / "networks"
    out.mkdir(parents=True, exist_ok=True)
    views = {
        "actor-network": (actors, "Actor network"),
        "actor-network-islamic-state": (network.neighbourhood(actors, "Islamic State", steps=2),
                                        "Islamic State: neighbourhood within 2 links"),
    }
    for name, (graph, title) in views.items():
        page = write_page(network.annotate(graph), out / f"{name}.html", title=title)
        report = open_page(page, screenshot=ROOT / "docs" / f"{name}.png", settle=2.0)
        print(f"{name}: {graph.number_of_nodes()} nodes, drawn {report.drawn}, console errors {report.errors}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
