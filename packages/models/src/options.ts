/**
 * @internal Refusing misspelled options. `{ inputshape: … }` or `{ num_classes: 10 }` would otherwise be
 * ignored without a word and the default used instead; layers check the same way
 * (@sinapse/layers Layer.checkOptionNames).
 */
import { ConfigError } from '@sinapse/tensor';

/** Names other frameworks use for one of ours (Keras applications `classes`). */
const ALIASES: Record<string, string> = { inputDim: 'inputShape', classes: 'numClasses', nbClasses: 'numClasses' };

/**
 * Throws a ConfigError for any key of `options` not in `known`, with a guess: the camelCase form
 * ('batch_size' → 'batchSize'), a case-insensitive match, an alias ('classes' → 'numClasses') or a
 * name at most 2 edits away ('inputshape' → 'inputShape').
 */
export function checkOptionNames(fn: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const guess = closestOption(key, known);
    throw new ConfigError(
      `${fn}: unknown option '${key}'${guess === null ? '.' : `; did you mean '${guess}'?`} Known options: ${known.join(', ')}`,
    );
  }
}

function closestOption(key: string, known: readonly string[]): string | null {
  const camel = key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
  const exact = known.find((k) => k.toLowerCase() === camel.toLowerCase());
  if (exact !== undefined) return exact;
  const alias = ALIASES[camel];
  if (alias !== undefined && known.includes(alias)) return alias;
  let best: string | null = null;
  let bestDistance = 3;
  for (const k of known) {
    const d = editDistance(camel.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

/** Levenshtein distance: the fewest insertions, deletions and substitutions turning a into b. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length]!;
}
