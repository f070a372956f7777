"""The one matcher of persons (issue 6): ID numbers, names, readings, scores and reasons.

Used everywhere a person is looked for: entering a person (saohei.entities), importing
records, screening candidates (saohei.vetting) and the benchmark (bench/bench_vetting.py).
"""

from .ids import IdDifference, IdInfo, difference, neighbours, parse_id, to18
from .matcher import NO_MATCH, TIER_RANK, Identity, Index, Match, Prepared, Tier, compare, prepare
from .names import fold_name, keys_of, readings_of, split_name, swapped_key

__all__ = [
    "NO_MATCH",
    "TIER_RANK",
    "IdDifference",
    "IdInfo",
    "Identity",
    "Index",
    "Match",
    "Prepared",
    "Tier",
    "compare",
    "difference",
    "fold_name",
    "keys_of",
    "neighbours",
    "parse_id",
    "prepare",
    "readings_of",
    "split_name",
    "swapped_key",
    "to18",
]
