/**
 * A reproducible stream of small edits (insert a snippet, sometimes replacing
 * a few characters), as typing and pasting make them: the incremental paths
 * must give what a fresh analysis of each version gives.
 */
export function* randomEdits(text: string, snippets: readonly string[], count: number, seed: number): Generator<string> {
  const random = seededRandom(seed);
  for (let i = 0; i < count; i++) {
    const at = random(text.length + 1);
    const removed = random(4) === 0 ? random(40) : 0;
    text = text.slice(0, at) + snippets[random(snippets.length)] + text.slice(at + removed);
    yield text;
  }
}

/** A reproducible integer source: `random(n)` is in [0, n). */
export function seededRandom(seed: number): (n: number) => number {
  let state = seed;
  return (n: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
}
