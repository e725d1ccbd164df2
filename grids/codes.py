"""The grid code scheme: a code tells where a grid is.

Codes nest the national administrative division codes (GB/T 2260 and the statistical
division codes of the National Bureau of Statistics) and add three digits for the grid::

    433101                 the city (Jishou, 吉首市)
    433101 001             township: 001-099 sub-district 街道, 100-199 town 镇, 200-299 township 乡
    433101 001 001         community: 001-199 urban community 社区, 200-999 village 村
    433101 001 001 007     grid 7 of that community (001-999)

So a township code has 9 digits, a community code 12 and a grid code 15; each code
starts with its parent's code.
"""

from __future__ import annotations

from grids.choices import CommunityKind, TownshipKind

CITY_CODE = "433101"
TOWNSHIP_CODE_LENGTH = 9
COMMUNITY_CODE_LENGTH = 12
GRID_CODE_LENGTH = 15

TOWNSHIP_RANGES: dict[str, tuple[int, int]] = {
    TownshipKind.SUBDISTRICT: (1, 99),
    TownshipKind.TOWN: (100, 199),
    TownshipKind.TOWNSHIP: (200, 299),
}
COMMUNITY_RANGES: dict[str, tuple[int, int]] = {
    CommunityKind.COMMUNITY: (1, 199),
    CommunityKind.VILLAGE: (200, 999),
}


def township_code(kind: str, index: int, city_code: str = CITY_CODE) -> str:
    """The code of the ``index``-th (from 0) township of that kind."""
    low, high = TOWNSHIP_RANGES[kind]
    number = low + index
    if number > high:
        raise ValueError(f"Too many townships of kind {kind}: {index + 1}")
    return f"{city_code}{number:03d}"


def community_code(township: str, kind: str, index: int) -> str:
    low, high = COMMUNITY_RANGES[kind]
    number = low + index
    if number > high:
        raise ValueError(f"Too many communities of kind {kind} in {township}: {index + 1}")
    return f"{township}{number:03d}"


def grid_code(community: str, number: int) -> str:
    if not 1 <= number <= 999:
        raise ValueError(f"Grid number out of range: {number}")
    return f"{community}{number:03d}"


def parent_code(code: str) -> str | None:
    """The code of the unit one level up (grid → community → township → city)."""
    if len(code) in (TOWNSHIP_CODE_LENGTH, COMMUNITY_CODE_LENGTH, GRID_CODE_LENGTH):
        return code[:-3]
    return None


def is_grid_code(code: str) -> bool:
    return len(code) == GRID_CODE_LENGTH and code.isdigit()
