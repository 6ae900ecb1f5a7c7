/**
 * Property-based tests of the shape rules (fast-check, seeded): for random shapes and options, each
 * op's output shape equals a small independent implementation of its formula, written here from
 * the definitions (TensorFlow's and Keras's), not from the library's code. Inputs the formula calls
 * impossible (an empty output, incompatible shapes) must throw a typed error instead.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError } from '../errors';
import { add } from './add';
import { avgPool2d } from './avgPool2d';
import { concat } from './concat';
import { conv2d } from './conv2d';
import { conv2dTranspose } from './conv2dTranspose';
import { arange, zeros } from './creation';
import { depthwiseConv2d } from './depthwiseConv2d';
import { l2Pool2d } from './l2Pool2d';
import { maxPool2d } from './maxPool2d';
import { pad } from './pad';
import { reshape } from './reshape';
import { slice } from './slice';

/** Every property runs this many random cases from this seed: reproducible, and a few hundred. */
const RUNS = { seed: 16, numRuns: 200 } as const;

type Padding = 'valid' | 'same' | { explicit: [number, number, number, number] };

/**
 * One spatial axis of a sliding window, from the definitions: the window spans kEff = (k − 1)·d + 1
 * input cells; 'valid' places it wherever it fits, 'same' pads so there are ceil(in / s) places,
 * explicit padding adds before + after cells and then fits. null when no window fits.
 */
function windowLength(input: number, k: number, s: number, d: number, padding: Padding, axis: 0 | 1): number | null {
  const kEff = (k - 1) * d + 1;
  if (padding === 'same') return Math.ceil(input / s);
  const padded = padding === 'valid' ? input : input + padding.explicit[2 * axis]! + padding.explicit[2 * axis + 1]!;
  if (padded < kEff) return null;
  let places = 0;
  for (let start = 0; start + kEff <= padded; start += s) places++; // count the positions, no formula
  return places;
}

/** Keras's transposed-convolution length (conv_utils.deconv_output_length), restated. */
function deconvLength(
  input: number,
  k: number,
  s: number,
  d: number,
  padding: 'valid' | 'same',
  outPad: number | null,
): number {
  const kEff = k + (k - 1) * (d - 1);
  if (outPad === null) return padding === 'valid' ? input * s + Math.max(kEff - s, 0) : input * s;
  const p = padding === 'same' ? Math.floor(kEff / 2) : 0;
  return (input - 1) * s + kEff - 2 * p + outPad;
}

const dim = (max: number) => fc.integer({ min: 1, max });
const pair = (max: number) => fc.tuple(dim(max), dim(max));
const padding: fc.Arbitrary<Padding> = fc.oneof(
  fc.constant('valid' as const),
  fc.constant('same' as const),
  fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2), fc.nat(2)).map((p) => ({ explicit: p })),
);
const image = fc.record({ n: dim(2), h: dim(9), w: dim(9), c: dim(3) });

/** An explicit padding is zero padding then a 'valid' window (the ops take 'valid' | 'same'). */
function padded(x: ReturnType<typeof zeros>, p: Padding) {
  if (typeof p === 'string') return { x, mode: p };
  const [t, b, l, r] = p.explicit;
  return {
    x: pad(x, [
      [0, 0],
      [t, b],
      [l, r],
      [0, 0],
    ]),
    mode: 'valid' as const,
  };
}

describe('shape rules against their formulas (property-based)', () => {
  it('conv2d: every padding (valid, same, explicit), strides and dilations', () => {
    fc.assert(
      fc.property(image, pair(4), dim(3), pair(3), pair(3), padding, (img, [kh, kw], f, strides, dilations, p) => {
        const expectH = windowLength(img.h, kh, strides[0], dilations[0], p, 0);
        const expectW = windowLength(img.w, kw, strides[1], dilations[1], p, 1);
        const { x, mode } = padded(zeros([img.n, img.h, img.w, img.c]), p);
        const run = () => conv2d(x, zeros([kh, kw, img.c, f]), { strides, dilationRate: dilations, padding: mode });
        if (expectH === null || expectW === null) expect(run).toThrow(ShapeError);
        else expect(run().shape).toEqual([img.n, expectH, expectW, f]);
      }),
      RUNS,
    );
  });

  it('depthwiseConv2d: channels × multiplier, the window rule of conv2d', () => {
    fc.assert(
      fc.property(image, pair(4), dim(3), pair(3), pair(2), padding, (img, [kh, kw], m, strides, dilations, p) => {
        const expectH = windowLength(img.h, kh, strides[0], dilations[0], p, 0);
        const expectW = windowLength(img.w, kw, strides[1], dilations[1], p, 1);
        const { x, mode } = padded(zeros([img.n, img.h, img.w, img.c]), p);
        const run = () =>
          depthwiseConv2d(x, zeros([kh, kw, img.c, m]), { strides, dilationRate: dilations, padding: mode });
        if (expectH === null || expectW === null) expect(run).toThrow(ShapeError);
        else expect(run().shape).toEqual([img.n, expectH, expectW, img.c * m]);
      }),
      RUNS,
    );
  });

  it("conv2dTranspose: Keras's output length, with and without outputPadding", () => {
    fc.assert(
      fc.property(
        image,
        pair(4),
        dim(3),
        pair(3),
        pair(2),
        fc.constantFrom('valid' as const, 'same' as const),
        fc.boolean(),
        fc.tuple(fc.nat(2), fc.nat(2)),
        (img, [kh, kw], f, strides, dilations, p, withOutPad, raw) => {
          const outPad: [number, number] | null = withOutPad ? [raw[0] % strides[0], raw[1] % strides[1]] : null;
          const outH = deconvLength(img.h, kh, strides[0], dilations[0], p, outPad?.[0] ?? null);
          const outW = deconvLength(img.w, kw, strides[1], dilations[1], p, outPad?.[1] ?? null);
          const run = () =>
            conv2dTranspose(zeros([img.n, img.h, img.w, img.c]), zeros([kh, kw, f, img.c]), {
              strides,
              dilationRate: dilations,
              padding: p,
              outputPadding: outPad,
            });
          // a transposed convolution is the gradient of a convolution: its output must convolve back to
          // the input. Keras's length with an outputPadding can break that (0, or 1 for 2 with 'same')
          const back = (out: number, input: number, k: number, st: number, d: number) =>
            out >= 1 && windowLength(out, k, st, d, p, 0) === input;
          const consistent =
            back(outH, img.h, kh, strides[0], dilations[0]) && back(outW, img.w, kw, strides[1], dilations[1]);
          if (!consistent) expect(run).toThrow(ShapeError);
          else expect(run().shape).toEqual([img.n, outH, outW, f]);
        },
      ),
      RUNS,
    );
  });

  it('max, average and L2 pooling: every padding and stride (strides default to the pool size)', () => {
    const pools = [maxPool2d, avgPool2d, l2Pool2d];
    fc.assert(
      fc.property(
        image,
        pair(4),
        fc.option(pair(3), { nil: undefined }),
        fc.constantFrom('valid' as const, 'same' as const),
        fc.constantFrom(0, 1, 2),
        (img, poolSize, strides, p, which) => {
          const s = strides ?? poolSize;
          const expectH = windowLength(img.h, poolSize[0], s[0], 1, p, 0);
          const expectW = windowLength(img.w, poolSize[1], s[1], 1, p, 1);
          const run = () => pools[which]!(zeros([img.n, img.h, img.w, img.c]), { poolSize, strides, padding: p });
          if (expectH === null || expectW === null) expect(run).toThrow(ShapeError);
          else expect(run().shape).toEqual([img.n, expectH, expectW, img.c]);
        },
      ),
      RUNS,
    );
  });

  it('broadcasting: aligned from the right, each pair equal or one of them 1, else a ShapeError', () => {
    const shape = fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 4 });
    fc.assert(
      fc.property(shape, shape, (a, b) => {
        const rank = Math.max(a.length, b.length);
        let expected: number[] | null = [];
        for (let i = 0; i < rank; i++) {
          const da = a[a.length - rank + i] ?? 1;
          const db = b[b.length - rank + i] ?? 1;
          if (da !== db && da !== 1 && db !== 1) expected = null;
          else expected?.push(Math.max(da, db));
        }
        const run = () => add(zeros(a), zeros(b));
        if (expected === null) expect(run).toThrow(ShapeError);
        else expect(run().shape).toEqual(expected);
      }),
      { ...RUNS, numRuns: 300 },
    );
  });

  it('reshape: any factorization of the size, with at most one -1 inferred; the values keep their order', () => {
    const factors = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(factors, fc.nat(), fc.boolean(), (target, shuffleSeed, useInferred) => {
        const size = target.reduce((p, d) => p * d, 1);
        // the source: the same size in another shape (the factors rotated and regrouped)
        const k = shuffleSeed % target.length;
        const source = [target.slice(0, k).reduce((p, d) => p * d, 1), ...target.slice(k)];
        const asked = useInferred ? target.map((d, i) => (i === k ? -1 : d)) : target;
        const x = arange(size).reshape(source);
        const y = reshape(x, asked);
        expect(y.shape).toEqual(target);
        expect(Array.from(y.data)).toEqual(Array.from(x.data));
      }),
      RUNS,
    );
  });

  it('concat: the axis adds up, the others agree, and slicing each part back gives it unchanged', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 }),
        fc.nat(),
        (base, lengths, axisSeed) => {
          const axis = axisSeed % base.length;
          let offset = 0;
          const parts = lengths.map((len) => {
            const shape = base.map((d, a) => (a === axis ? len : d));
            const t = arange(shape.reduce((p, d) => p * d, 1))
              .add(offset)
              .reshape(shape);
            offset += 1000;
            return t;
          });
          const y = concat(parts, axis);
          expect(y.shape).toEqual(base.map((d, a) => (a === axis ? lengths.reduce((p, l) => p + l, 0) : d)));
          let start = 0;
          for (const part of parts) {
            const back = slice(
              y,
              base.map((_, a) => (a === axis ? start : 0)),
              part.shape,
            );
            expect(Array.from(back.data)).toEqual(Array.from(part.data));
            start += part.shape[axis]!;
          }
        },
      ),
      RUNS,
    );
  });

  it('slice: size, or dim − begin for -1, and y[i] = x[begin + i]; a block leaving the tensor is a ValueError', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.tuple(fc.nat(4), fc.integer({ min: -1, max: 4 })), { minLength: 4, maxLength: 4 }),
        (shape, picks) => {
          const begin = shape.map((_, a) => picks[a]![0]);
          const size = shape.map((_, a) => picks[a]![1]);
          const out = shape.map((d, a) => (size[a] === -1 ? d - begin[a]! : size[a]!));
          const x = arange(shape.reduce((p, d) => p * d, 1)).reshape(shape);
          const fits = shape.every((d, a) => begin[a]! <= d && out[a]! >= 0 && begin[a]! + out[a]! <= d);
          if (!fits) {
            expect(() => slice(x, begin, size)).toThrow(ValueError);
            return;
          }
          const y = slice(x, begin, size);
          expect(y.shape).toEqual(out);
          // every element from its multi-index, row-major, independently of the kernel
          const strides = shape.map((_, a) => shape.slice(a + 1).reduce((p, d) => p * d, 1));
          for (let i = 0; i < y.size; i++) {
            let rest = i;
            let flat = 0;
            for (let a = shape.length - 1; a >= 0; a--) {
              const idx = rest % out[a]!;
              rest = Math.floor(rest / out[a]!);
              flat += (begin[a]! + idx) * strides[a]!;
            }
            expect(y.data[i]).toBe(flat);
          }
        },
      ),
      RUNS,
    );
  });
});
