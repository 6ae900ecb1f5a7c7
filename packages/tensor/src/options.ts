/**
 * Refusing misspelled options, for every package. An options object with `{ stride: 2 }` or
 * `{ num_classes: 10 }` would otherwise be ignored without a word and the default used instead
 * (Keras raises "Unrecognized keyword arguments"; an option that is silently ignored is a bug
 * found late, after a wrong training run). The message guesses what was meant.
 */
import { ConfigError } from './errors';

/** Names other frameworks use for one of ours, where the spelling alone would not find it. */
const ALIASES: Record<string, string> = {
  dilations: 'dilationRate', // TF.js tf.conv2d
  dilation: 'dilationRate',
  filterSize: 'poolSize', // TF.js tf.maxPool
  keepdims: 'keepDims', // NumPy
  pad: 'padding',
  inputDim: 'inputShape',
  classes: 'numClasses', // Keras applications
  nbClasses: 'numClasses',
  lr: 'learningRate', // PyTorch optimizers
  nbEpoch: 'epochs', // Keras 1
  epoch: 'epochs',
};

type ErrorClass = new (message: string) => Error;

/**
 * Throws (a ConfigError by default) for any key of `options` that is not in `known`:
 * "Conv2D 'c': unknown option 'stride'; did you mean 'strides'? Known options: ...".
 * `dataFormat` gets its own answer: Sinapse is NHWC only.
 */
export function checkOptionNames(
  who: string,
  options: object,
  known: readonly string[],
  ErrorType: ErrorClass = ConfigError,
): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    if (key === 'dataFormat' || key === 'data_format') {
      throw new ErrorType(
        `${who}: unknown option '${key}': Sinapse is NHWC-only: [batch, height, width, channels]; ` +
          'transpose NCHW input with x.transpose([0, 2, 3, 1])',
      );
    }
    const guess = suggestOption(key, known);
    throw new ErrorType(
      `${who}: unknown option '${key}'${guess === null ? '.' : `; did you mean '${guess}'?`} Known options: ${known.join(', ')}`,
    );
  }
}

/**
 * The known option `key` was probably meant as: its camelCase form ('pool_size' → 'poolSize'), a
 * case-insensitive match ('Rho' → 'rho'), an alias from another framework ('dilations' →
 * 'dilationRate'), or a name at most 2 edits away ('stride' → 'strides'). Null if none.
 */
export function suggestOption(key: string, known: readonly string[]): string | null {
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
