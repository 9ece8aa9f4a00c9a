"""Words for readers: counts with the right plural and thousands separators.

The dashboard, the CLI and the reports say "1 site", "2 sites" and "12,480 rings", never
"1 sites" (issue 14). Nouns whose plural is not the noun plus "s" name it.
"""

from __future__ import annotations

__all__ = ["count_of"]

_IRREGULAR = {"country": "countries", "city": "cities"}


def count_of(n: int, noun: str, plural: str | None = None) -> str:
    """Return ``n`` and the noun, singular for one, with thousands separators.

    Parameters
    ----------
    n : int
        How many.
    noun : str
        The singular noun.
    plural : str, optional
        The plural when it is not ``noun + "s"`` (a few are known: "country").

    Examples
    --------
    >>> count_of(1, "site"), count_of(0, "site"), count_of(12480, "ring")
    ('1 site', '0 sites', '12,480 rings')
    >>> count_of(2, "country"), count_of(3, "launch area", "launch areas")
    ('2 countries', '3 launch areas')
    """
    many = plural or _IRREGULAR.get(noun, f"{noun}s")
    return f"{int(n):,} {noun if int(n) == 1 else many}"
