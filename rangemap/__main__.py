"""Run the command line as ``python -m rangemap COMMAND ...`` (the same as ``rangemap``).

``python -X importtime -m rangemap systems`` shows what a command imports (issue 14).
"""

from __future__ import annotations

from rangemap.cli import main_entry

__all__ = []  # type: list[str]

if __name__ == "__main__":
    main_entry()
