import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMnist } from '@sinapse/data/node';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parsePgm, resize } from './image';
import { bar, formatPrediction, main, parsePredictArgs, predictDigit } from './predict';
import { trainMnist } from './train';

const temp = mkdtempSync(join(tmpdir(), 'sinapse-predict-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** Test image 0 (a 7) as bytes 0..255, row-major 28x28. */
function testDigit(): Uint8Array {
  const image = loadMnist({ limit: 0, testLimit: 1 }).test.images; // pixel / 255
  return Uint8Array.from(image.data, (v) => Math.round(v * 255));
}

describe('predict', () => {
  const out = join(temp, 'run');
  beforeAll(async () => {
    await trainMnist({
      out,
      limit: 1000,
      testLimit: 10,
      validationSize: 100,
      epochs: 1,
      batchSize: 8,
      learningRate: 0.02,
      log: () => {},
      progress: false,
    });
  }, 60_000);

  it('--index reads a test image and prints its true label', () => {
    const p = predictDigit({ model: out, index: 0 });
    expect(p.truth).toBe(7);
    expect(p.probabilities).toHaveLength(10);
    expect(p.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    const text = formatPrediction(p);
    expect(text).toContain(`Prediction: ${p.digit}`);
    expect(text).toContain('True label: 7');
    expect(text).toMatch(/ {2}7 █+/);
  });

  it('a P5 PGM of the same digit gives the same probabilities as --index', () => {
    const pixels = testDigit();
    const file = join(temp, 'seven.pgm');
    writeFileSync(file, Buffer.concat([Buffer.from('P5\n# test image 0\n28 28\n255\n'), pixels]));
    const fromFile = predictDigit({ model: join(out, 'model'), pgm: file });
    const fromIndex = predictDigit({ model: out, index: 0 });
    expect(fromFile.inverted).toBe(false);
    fromFile.probabilities.forEach((p, k) => {
      expect(p).toBeCloseTo(fromIndex.probabilities[k]!, 5);
    });
  });

  it('a black-on-white 56x56 PNG is shrunk, inverted and read as the same digit', () => {
    const pixels = testDigit();
    const png = new PNG({ width: 56, height: 56 });
    for (let r = 0; r < 56; r++) {
      for (let c = 0; c < 56; c++) {
        const v = 255 - pixels[Math.floor(r / 2) * 28 + Math.floor(c / 2)]!; // dark ink on white paper
        png.data.set([v, v, v, 255], 4 * (r * 56 + c));
      }
    }
    const file = join(temp, 'seven.png');
    writeFileSync(file, PNG.sync.write(png));
    const p = predictDigit({ model: out, image: file });
    expect(p.inverted).toBe(true);
    expect(p.source).toContain('56x56, resized to 28x28, inverted to white on black');
    const fromIndex = predictDigit({ model: out, index: 0 });
    // each 2x2 block averages back to the original pixel exactly, so the input is the same digit
    fromIndex.input.data.forEach((v, i) => {
      expect(p.input.data[i]).toBeCloseTo(v, 4);
    });
    expect(p.digit).toBe(fromIndex.digit);
  });

  it('a checkpoint directory (checkpoint/epoch-1) predicts like the final model, with its own preprocessing.json', () => {
    const fromCheckpoint = predictDigit({ model: join(out, 'checkpoint', 'epoch-1'), index: 0 });
    const fromModel = predictDigit({ model: out, index: 0 });
    expect(fromCheckpoint.probabilities).toEqual(fromModel.probabilities);
    expect(fromCheckpoint.input.data).toEqual(fromModel.input.data);
  });

  it('a model directory without preprocessing.json is refused, unless --assume-unit-pixels', () => {
    const bare = join(temp, 'bare-model');
    cpSync(join(out, 'model'), bare, { recursive: true });
    rmSync(join(bare, 'preprocessing.json'));
    expect(() => predictDigit({ model: bare, index: 0 })).toThrow(
      `mnist:predict: ${bare} has no preprocessing.json, so the pixel mean and std the model was trained with are unknown.`,
    );
    const p = predictDigit({ model: bare, index: 0, assumeUnitPixels: true });
    expect(Math.max(...p.input.data)).toBe(1); // pixel/255, not standardized
    expect(parsePredictArgs(['--assume-unit-pixels', '--index', '0'])).toEqual({ assumeUnitPixels: true, index: 0 });
  });

  it('a missing file, a non-PNG, a truncated PNG and a PNG given to --pgm: one line naming the file, exit 2', async () => {
    const missing = join(temp, 'nope.png');
    expect(() => predictDigit({ model: out, image: missing })).toThrow(
      `mnist:predict: cannot read ${missing}: no such file`,
    );
    const text = join(temp, 'notes.png');
    writeFileSync(text, 'hello, not a picture');
    expect(() => predictDigit({ model: out, image: text })).toThrow(
      `mnist:predict: ${text} is not a PNG: it does not start with the PNG signature`,
    );
    const png = new PNG({ width: 28, height: 28 });
    const full = PNG.sync.write(png);
    const cut = join(temp, 'cut.png');
    writeFileSync(cut, full.subarray(0, full.length - 20));
    expect(() => predictDigit({ model: out, image: cut })).toThrow(
      new RegExp(`^mnist:predict: ${cut} is not a valid PNG: `),
    );
    const realPng = join(temp, 'real.png');
    writeFileSync(realPng, full);
    expect(() => predictDigit({ model: out, pgm: realPng })).toThrow(
      `mnist:predict: ${realPng} is a PNG, not a PGM; pass it with --image`,
    );
    const realPgm = join(temp, 'real.pgm');
    writeFileSync(realPgm, 'P2\n1 1\n255\n0\n');
    expect(() => predictDigit({ model: out, image: realPgm })).toThrow(
      `mnist:predict: ${realPgm} is a PGM, not a PNG; pass it with --pgm`,
    );
    const shortPgm = join(temp, 'short.pgm');
    writeFileSync(shortPgm, 'P2\n2 2\n255\n0 0 0\n');
    expect(() => predictDigit({ model: out, pgm: shortPgm })).toThrow(
      `mnist:predict: ${shortPgm} is not a valid PGM: the P2 raster has 3 of the 4 values 2x2 needs`,
    );
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(await main(['--model', out, '--image', text])).toBe(2);
      expect(errors).toHaveBeenCalledTimes(1);
      expect(String(errors.mock.calls[0]![0])).toBe(
        `mnist:predict: ${text} is not a PNG: it does not start with the PNG signature`,
      );
    } finally {
      errors.mockRestore();
    }
  });

  it('parses a P2 PGM with comments and maxval 15', () => {
    const image = parsePgm(
      new TextEncoder().encode('P2\n# a 3x2 image\n3 2\n15\n0 15 3\n# mid-raster comment\n6 9 12\n'),
    );
    expect([image.width, image.height]).toEqual([3, 2]);
    expect(Array.from(image.pixels)).toEqual([0, 255, 51, 102, 153, 204]);
    expect(() => parsePgm(new TextEncoder().encode('P6\n1 1\n255\n'))).toThrow(/magic number P2 or P5/);
    expect(() => parsePgm(new TextEncoder().encode('P5\n2 2\n255\nab'))).toThrow(/needs 4 bytes/);
  });

  it('area averaging: a 4x4 image shrunk to 2x2 averages each 2x2 block', () => {
    const pixels = Float32Array.from([0, 4, 8, 8, 4, 0, 8, 8, 1, 1, 2, 2, 1, 1, 2, 2]);
    expect(Array.from(resize({ width: 4, height: 4, pixels }, 2, 2).pixels)).toEqual([2, 8, 1, 2]);
  });

  it('draws bars in eighths of a character', () => {
    expect(bar(1, 4)).toBe('████');
    expect(bar(0.5, 4)).toBe('██  ');
    expect(bar(0.5625, 4)).toBe('██▎ '); // 0.5625 · 32 = 18 eighths
  });

  it('flag errors are clear', () => {
    expect(() => predictDigit({ model: out })).toThrow(
      'mnist:predict: give exactly one of --index N, --image file.png and --pgm file.pgm, but got none',
    );
    expect(() => predictDigit({ model: out, index: 10_000 })).toThrow('--index must be below 10000, but got 10000');
    expect(() => predictDigit({ model: temp, index: 0 })).toThrow(/no saved model in/);
    expect(() => parsePredictArgs(['--index', '-3'])).toThrow(/ambiguous/);
    expect(() => parsePredictArgs(['--index=x'])).toThrow("mnist: --index must be an integer ≥ 0, but got 'x'");
    expect(parsePredictArgs(['--help'])).toBe('help');
  });
});
