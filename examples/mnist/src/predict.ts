/**
 * Reads one digit with a trained model and prints what the model thinks, as a bar chart of the
 * ten class probabilities:
 *
 *   pnpm mnist:predict --model examples/mnist/out --index 0
 *   pnpm mnist:predict --model examples/mnist/out --image my-digit.png
 *
 * The model outputs logits; softmax turns them into probabilities that sum to 1:
 *   p_k = exp(z_k) / Σ_j exp(z_j)
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadMnist } from '@sinapse/data/node';
import type { Model } from '@sinapse/models';
import { loadModel } from '@sinapse/models/node';
import { softmax, type Tensor } from '@sinapse/tensor';
import { decodePng, type GreyImage, parsePgm, toModelInput } from './image';
import { DEFAULT_OUT, integer, PREPROCESSING_FILE, parseFlags, UsageError, userPath } from './train';

export interface PredictOptions {
  /** A model directory (with model.json), or a training run's output directory (uses its model/). */
  model?: string;
  /** Test image number (0 to 9,999). */
  index?: number;
  /** A PNG file. */
  image?: string;
  /** A PGM file (P2 or P5). */
  pgm?: string;
  /**
   * Use pixel/255 (mean 0, std 1) when the model directory has no preprocessing.json. Without it a
   * missing file is an error: the wrong standardization gives confident, wrong probabilities.
   */
  assumeUnitPixels?: boolean;
}

export interface Prediction {
  digit: number;
  /** The ten class probabilities, digit 0 first. */
  probabilities: number[];
  /** The true label, for a test image. */
  truth: number | null;
  /** What was read, e.g. "test image 0" or the file name. */
  source: string;
  /** The 28x28 input, standardized, [1, 28, 28, 1]. */
  input: Tensor;
  /** Whether the picture was inverted to white-on-black. */
  inverted: boolean;
}

/** The model directory: DIR itself if it has model.json, else DIR/model (a run's output directory). */
function modelDir(dir: string): string {
  return existsSync(join(dir, 'model.json')) ? dir : join(dir, 'model');
}

/**
 * The pixel standardization the model was trained with (saved by train.ts next to the model).
 * @throws UsageError if the file is missing (unless assumeUnitPixels) or does not hold a finite
 *   mean and a positive std.
 */
function normalizationOf(dir: string, assumeUnitPixels: boolean): { mean: number; std: number } {
  const path = join(dir, PREPROCESSING_FILE);
  if (!existsSync(path)) {
    if (assumeUnitPixels) return { mean: 0, std: 1 };
    throw new UsageError(
      `mnist:predict: ${dir} has no ${PREPROCESSING_FILE}, so the pixel mean and std the model was trained with are unknown. ` +
        `Pass a directory a training run wrote (its out dir, model/ or checkpoint/epoch-N/), or --assume-unit-pixels if the model was trained on pixel/255`,
    );
  }
  let parsed: { mean?: unknown; std?: unknown };
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`mnist:predict: ${path} is not valid JSON: ${(err as Error).message}`);
  }
  const { mean, std } = parsed ?? {};
  if (typeof mean !== 'number' || !Number.isFinite(mean) || typeof std !== 'number' || !(std > 0)) {
    throw new UsageError(
      `mnist:predict: ${path} must hold a finite mean and a positive std, but got mean ${String(mean)} and std ${String(std)}`,
    );
  }
  return { mean, std };
}

/** Reads and decodes a picture; any failure becomes one UsageError line naming the file. */
function readPicture(file: string, format: 'png' | 'pgm'): GreyImage {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    const { code, message } = err as NodeJS.ErrnoException;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : message;
    throw new UsageError(`mnist:predict: cannot read ${file}: ${reason}`);
  }
  const looksLikePng = bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  const looksLikePgm = bytes[0] === 0x50 && (bytes[1] === 0x32 || bytes[1] === 0x35); // 'P2' or 'P5'
  if (format === 'pgm' && looksLikePng) {
    throw new UsageError(`mnist:predict: ${file} is a PNG, not a PGM; pass it with --image`);
  }
  if (format === 'png' && looksLikePgm) {
    throw new UsageError(`mnist:predict: ${file} is a PGM, not a PNG; pass it with --pgm`);
  }
  if (format === 'png' && !looksLikePng) {
    throw new UsageError(`mnist:predict: ${file} is not a PNG: it does not start with the PNG signature`);
  }
  try {
    return format === 'png' ? decodePng(bytes) : parsePgm(bytes);
  } catch (err) {
    const message = (err as Error).message.replace(/^parsePgm: /, '');
    throw new UsageError(`mnist:predict: ${file} is not a valid ${format.toUpperCase()}: ${message}`);
  }
}

/**
 * Loads the model, prepares the picture and classifies it.
 * @throws UsageError when not exactly one of index, image and pgm is given, the index is out of range,
 *   the model directory has no preprocessing.json (unless assumeUnitPixels), or the picture cannot
 *   be read or decoded.
 */
export function predictDigit(options: PredictOptions, model?: Model): Prediction {
  const sources = (['index', 'image', 'pgm'] as const).filter((k) => options[k] !== undefined);
  if (sources.length !== 1) {
    throw new UsageError(
      `mnist:predict: give exactly one of --index N, --image file.png and --pgm file.pgm, but got ${sources.length === 0 ? 'none' : sources.map((s) => `--${s}`).join(' and ')}`,
    );
  }
  const dir = modelDir(options.model ?? DEFAULT_OUT);
  if (!existsSync(join(dir, 'model.json'))) {
    throw new UsageError(
      `mnist:predict: no saved model in ${dir}; train one first with pnpm mnist, or pass --model DIR`,
    );
  }
  const normalization = normalizationOf(dir, options.assumeUnitPixels === true);
  const net = model ?? loadModel(dir);

  let input: Tensor;
  let inverted = false;
  let truth: number | null = null;
  let source: string;
  if (options.index !== undefined) {
    const index = options.index;
    // The test images, with the same standardization as in training.
    const test = loadMnist({ limit: 0, normalize: normalization.mean === 0 ? 'unit' : 'standard' }).test;
    if (index >= test.labels.size) {
      throw new UsageError(`mnist:predict: --index must be below ${test.labels.size}, but got ${index}`);
    }
    input = test.images.slice([index, 0, 0, 0], [1, 28, 28, 1]);
    truth = test.labels.data[index]!;
    source = `test image ${index}`;
  } else {
    const file = (options.image ?? options.pgm)!;
    const picture = readPicture(file, options.image !== undefined ? 'png' : 'pgm');
    ({ input, inverted } = toModelInput(picture, normalization));
    source = `${file} (${picture.width}x${picture.height}${picture.width === 28 && picture.height === 28 ? '' : ', resized to 28x28'}${inverted ? ', inverted to white on black' : ''})`;
  }
  const logits = net.predict(input); // [1, 10]
  const probabilities = Array.from(softmax(logits).data);
  const digit = probabilities.indexOf(Math.max(...probabilities));
  return { digit, probabilities, truth, source, input, inverted };
}

const BLOCKS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A horizontal bar of `width` characters for a value in [0, 1], in eighths of a character. */
export function bar(value: number, width = 30): string {
  const eighths = Math.round(Math.max(0, Math.min(1, value)) * width * 8);
  return ('█'.repeat(Math.floor(eighths / 8)) + BLOCKS[eighths % 8]).padEnd(width);
}

/** The input as text, darkest to brightest " .:-=+*#%@", so you can see what the model saw. */
export function asciiDigit(input: Tensor): string {
  const ramp = ' .:-=+*#%@';
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of input.data) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  const lines: string[] = [];
  for (let r = 0; r < 28; r++) {
    let line = '';
    for (let c = 0; c < 28; c++) {
      const t = (input.data[r * 28 + c]! - lo) / (hi - lo || 1);
      const ch = ramp[Math.min(ramp.length - 1, Math.floor(t * ramp.length))]!;
      line += ch + ch; // two characters per pixel: terminal cells are about twice as tall as wide
    }
    lines.push(line.trimEnd());
  }
  return lines.join('\n');
}

/** The report main prints: the picture, the bars, the verdict. */
export function formatPrediction(p: Prediction): string {
  const lines = [`Input: ${p.source}`, asciiDigit(p.input), '', 'Class probabilities:'];
  p.probabilities.forEach((prob, k) => {
    lines.push(`  ${k} ${bar(prob)} ${prob.toFixed(2)}${k === p.digit ? '  ←' : ''}`);
  });
  lines.push('', `Prediction: ${p.digit} (${(100 * p.probabilities[p.digit]!).toFixed(1)}%)`);
  if (p.truth !== null) lines.push(`True label: ${p.truth}${p.truth === p.digit ? ' (correct)' : ' (wrong)'}`);
  return lines.join('\n');
}

export const PREDICT_USAGE = `Classify one digit with a trained model.

Usage: pnpm mnist:predict [--model DIR] (--index N | --image file.png | --pgm file.pgm)
       pnpm run predict [options]    (in examples/mnist)

Options (give exactly one of --index, --image and --pgm):
  --model DIR     a saved model, or the output directory of a training run (default examples/mnist/out)
  --index N       test image N (0 to 9,999; no default); the true label is printed too
  --image FILE    a PNG (no default): converted to grey, resized to 28x28 by area averaging, and
                  inverted if the background is light (MNIST digits are white on black)
  --pgm FILE      a PGM (P2 text or P5 binary; no default), prepared the same way
  --assume-unit-pixels
                  the model directory has no preprocessing.json: feed pixel/255 (mean 0, std 1).
                  Without this flag (the default) a missing preprocessing.json is an error
  -h, --help      print this and exit`;

/** parseArgs' spec of mnist:predict: every option PREDICT_USAGE lists. */
export const PREDICT_FLAGS = {
  model: { type: 'string' },
  index: { type: 'string' },
  image: { type: 'string' },
  pgm: { type: 'string' },
  'assume-unit-pixels': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function parsePredictArgs(argv: readonly string[]): PredictOptions | 'help' {
  const { values } = parseFlags('mnist:predict', argv, PREDICT_FLAGS);
  if (values.help === true) return 'help';
  const options: PredictOptions = {};
  if (values.model !== undefined) options.model = userPath(values.model);
  if (values.index !== undefined) options.index = integer('--index', values.index, 0);
  if (values.image !== undefined) options.image = userPath(values.image);
  if (values.pgm !== undefined) options.pgm = userPath(values.pgm);
  if (values['assume-unit-pixels'] === true) options.assumeUnitPixels = true;
  return options;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    const options = parsePredictArgs(argv);
    if (options === 'help') {
      console.log(PREDICT_USAGE);
      return 0;
    }
    console.log(formatPrediction(predictDigit(options)));
    return 0;
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(err.message);
    return 2;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
