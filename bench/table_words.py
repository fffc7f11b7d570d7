"""Words a table breaks: for the named questions at widths 80, 100, 120 and 160, how many words of
the cells are not found whole in the lines of their column (kg.tables.format_table on build/kg.nq).
Give the path of another tables.py (such as an older one, ``git show REV:kg/tables.py > old.py``)
to count with it instead.

    python bench/table_words.py [path/to/tables.py]
"""

import importlib.util
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORD = re.compile(r"[^\t\n\x0b\x0c\r ]+")
QUESTIONS = {"attacks": {}, "groups": {}, "estimates": {"quantity": "quantity:kazakhstanis-in-syria-and-iraq"},
             "disagreements": {}, "legal-acts": {}, "people": {}}
WIDTHS = (80, 100, 120, 160)


def main(argv: list[str]) -> None:
    if argv:
        spec = importlib.util.spec_from_file_location("kg.tables", argv[0])
        tables = importlib.util.module_from_spec(spec)
        sys.modules["kg.tables"] = tables
        spec.loader.exec_module(tables)
    from kg import tables
    from kg.query import get_query, run_named
    from kg.store import open_engine

    engine = open_engine(ROOT / "build" / "kg.nq")
    broken = total = headers = 0
    for name, given in QUESTIONS.items():
        result = run_named(engine, get_query(name), given)
        for width in WIDTHS:
            lines = tables.format_table(result, width=width).splitlines()
            rule = next(i for i, line in enumerate(lines) if line and set(line) <= {"-", " "})
            headers += rule > 1
            note = re.search(r"left out to fit \d+ columns: (.*?) \(--columns", lines[-1])
            kept = [v for v in result.variables if v not in (note.group(1).split(", ") if note else [])]
            for v, m in zip(kept, re.finditer(r"-+", lines[rule])):
                seen = {t for line in lines[rule + 1:-1] for t in WORD.findall(line[m.start():m.end()])}
                words = [w for r in result.rows for w in WORD.findall(tables._cell(r.get(v), {}))]
                total += len(words)
                broken += sum(w not in seen for w in words)
    print(f"{broken} of {total} words broken, {headers} tables with a column name broken "
          f"({len(QUESTIONS)} named questions x widths {', '.join(map(str, WIDTHS))})")


if __name__ == "__main__":
    main(sys.argv[1:])
