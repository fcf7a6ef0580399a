"""Choosing the word a reader probably meant, from candidates an engine found."""


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count once), or limit + 1 when larger."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def allowed_distance(word: str) -> int:
    """One typo in a short word, two in a longer one."""
    return 1 if len(word) <= 5 else 2


def best_correction(word: str, candidates) -> str:
    """The closest candidate within the allowed distance ('' when none); ties go to the
    candidate listed first (engines list the most similar first)."""
    limit = allowed_distance(word)
    best, best_distance = "", limit + 1
    for candidate in candidates:
        if candidate == word:
            continue
        distance = edit_distance(word, candidate, limit)
        if distance < best_distance:
            best, best_distance = candidate, distance
    return best
