// "Did you mean" suggestions: the closest known name by edit distance, if it is close enough.

/** Longer names get no suggestion: a typo is short, and the distance costs length squared. */
export const maxSuggestLength = 64;

/** Candidates examined per suggestion, so a model with a million names costs no more than one with 10,000. */
export const maxSuggestCandidates = 10_000;

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
  // three rolling rows: the previous two (for swaps) and the current one
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      const swapped = i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1];
      if (swapped) best = Math.min(best, before[j - 2]! + 1);
      current.push(best);
    }
    [before, previous] = [previous, current];
  }
  return previous[b.length]!;
}

/** The candidate closest to `name`, or undefined when none is plausibly a typo of it. */
export function suggest(name: string, candidates: Iterable<string>): string | undefined {
  if (name.length > maxSuggestLength) return undefined;
  // a third of the length, at least 1: `kernal` -> `kernel`; names under 3 letters only by case
  const budget = name.length < 3 ? 0.5 : Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  let examined = 0;
  for (const candidate of candidates) {
    if (examined++ === maxSuggestCandidates) break;
    if (candidate === name) continue;
    // the distance is at least the difference in length, and that alone rules most names out
    if (Math.abs(candidate.length - name.length) > budget) continue;
    // a difference only in case is the most likely slip of all
    const distance = candidate.toLowerCase() === name.toLowerCase() ? 0.5 : editDistance(name, candidate);
    if (distance <= budget && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
