import { ValueError } from '@sinapse/tensor';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectSameBits } from '../testing/tfjs';
import { checkManifest, decodeGroup, encodeGroup, floatToHalf, halfToFloat, type LayersWeightSpec } from './weights';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const values = Float32Array.from({ length: 37 }, (_, i) => Math.sin(i * 1.7) * (i % 5) - 0.3);
const weights = [
  { name: 'a/kernel', shape: [37], values },
  { name: 'a/bias', shape: [3], values: Float32Array.of(0, 0, 0) },
  { name: 'b/kernel', shape: [2, 2], values: Float32Array.of(-1e-3, 65504, -70000, 1e-8) },
];

describe('decodeGroup dequantizes as TF.js does (Note [Quantized weights])', () => {
  it.each([undefined, 'uint8', 'uint16', 'float16'] as const)(
    '%s: the same float32 bits as tf.io.decodeWeights',
    (q) => {
      const { specs, bytes } = encodeGroup(weights, q);
      const ours = decodeGroup(specs, bytes);
      const theirs = tf.io.decodeWeights(bytes.slice().buffer, specs as tf.io.WeightsManifestEntry[]);
      for (const w of ours)
        expectSameBits(`${q} ${w.name}`, w.values as Float32Array, theirs[w.name]!.dataSync() as Float32Array);
      // and they are close to the original (float32: exactly)
      const step = q === 'uint8' ? 1 / 255 : q === 'uint16' ? 1 / 65535 : 0;
      ours.forEach((w, k) => {
        const original = weights[k]!.values;
        let range = 0;
        for (const v of original) range = Math.max(range, Math.abs(v - Math.min(...original)));
        for (let i = 0; i < original.length; i++) {
          const tol =
            q === undefined
              ? 0
              : q === 'float16'
                ? Math.max(Math.abs(original[i]!) * 2 ** -11, 2 ** -24)
                : (range * step) / 2 + 1e-7 * range;
          if (q === 'float16' && Math.abs(original[i]!) > 65504) expect(w.values[i]).toBe(-Infinity);
          else expect(Math.abs(w.values[i]! - original[i]!), `${q} ${w.name}[${i}]`).toBeLessThanOrEqual(tol);
        }
      });
    },
  );

  it('reads the quantized entries tensorflowjs_converter writes (min nudged so 0 is stored exactly)', () => {
    // converter-style: scale = (max − min) / 255 with min moved to a multiple of scale
    const scale = 0.01;
    const min = -0.5;
    const q = Uint8Array.of(0, 50, 255, 7);
    const spec: LayersWeightSpec = {
      name: 'w',
      shape: [4],
      dtype: 'float32',
      quantization: { dtype: 'uint8', scale, min },
    };
    const ours = decodeGroup([spec], q)[0]!.values as Float32Array;
    expect(Array.from(ours)).toEqual([-0.5, 0, 2.05, -0.43].map(Math.fround));
    expectSameBits(
      'w',
      ours,
      tf.io.decodeWeights(q.slice().buffer, [spec as tf.io.WeightsManifestEntry]).w!.dataSync() as Float32Array,
    );
  });

  it('float16: every half is read exactly and written back to the same bits; halfway values round to even', () => {
    for (let h = 0; h < 65536; h++) {
      const x = halfToFloat(h);
      if (Number.isNaN(x)) expect(floatToHalf(x) & 0x7c00).toBe(0x7c00);
      else expect(floatToHalf(x), `half 0x${h.toString(16)}`).toBe(h);
    }
    expect(floatToHalf(1 + 2 ** -11)).toBe(0x3c00); // halfway between 1 and 1 + 2⁻¹⁰: to even (1)
    expect(floatToHalf(1 + 3 * 2 ** -11)).toBe(0x3c02); // halfway between 1 + 2⁻¹⁰ and 1 + 2⁻⁹: to even
    expect(floatToHalf(65520)).toBe(0x7c00); // rounds past the largest half: ∞
    expect(floatToHalf(2 ** -25)).toBe(0); // half the smallest subnormal: to even (0)
    expect(floatToHalf(3 * 2 ** -26)).toBe(1);
  });
});

describe('checkManifest (Note [Check before allocating])', () => {
  const spec = (name: string, shape: number[], extra: Partial<LayersWeightSpec> = {}): LayersWeightSpec => ({
    name,
    shape,
    dtype: 'float32',
    ...extra,
  });
  const source = { who: 'loadLayersModel: /m/model.json' };

  it('accepts entries that tile the bytes exactly', () => {
    expect(() =>
      checkManifest(
        [[spec('a', [2, 3]), spec('b', [4], { quantization: { dtype: 'uint8', scale: 1, min: 0 } })]],
        [28],
        source,
      ),
    ).not.toThrow();
  });

  it.each([
    [
      [spec('a', [2, 3])],
      20,
      /weightData is truncated: its 1 manifest entry \(a \[2, 3\] float32\) takes 24 bytes, but it holds 20/,
    ],
    [[spec('a', [2, 3])], 30, /weightData has bytes no weight accounts for: .* takes 24 bytes, but it holds 30/],
    [
      [spec('a', [2, -3])],
      24,
      /weight 0 \('a'\) shape must be a list of at most 8 integers from 0 to 2\^31 − 1, but got \[2,-3\]/,
    ],
    [
      [spec('a', [2 ** 31])],
      24,
      /weight 0 \('a'\) shape must be a list of at most 8 integers from 0 to 2\^31 − 1, but got \[2147483648\]/,
    ],
    [
      [spec('a', [1e9, 1e9])],
      24,
      /weight 0 \('a'\) has shape \[1000000000, 1000000000\], 1000000000000000000 elements, more than a tensor can hold \(4294967296\)/,
    ],
    [[spec('a', [1]), spec('a', [1])], 8, /the manifest lists weight 'a' twice/],
    [[spec('a', [1], { dtype: 'float64' as 'float32' })], 8, /dtype must be 'float32' or 'int32' .* but got "float64"/],
    [
      [spec('a', [1], { quantization: { dtype: 'uint8' } })],
      1,
      /is uint8-quantized and needs finite scale and min numbers, but got scale undefined/,
    ],
    [
      [spec('a', [1], { quantization: { dtype: 'int4' as 'uint8' } })],
      1,
      /quantization must be \{ dtype: 'uint8' \| 'uint16' \| 'float16'/,
    ],
  ])('%j with %i bytes: %s', (specs, bytes, message) => {
    const err = (() => {
      try {
        checkManifest([specs], [bytes], source);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ValueError);
    expect((err as Error).message).toMatch(/^loadLayersModel: \/m\/model.json: /);
    expect((err as Error).message).toMatch(message);
  });

  it('names the shard files of the group that does not fit', () => {
    expect(() =>
      checkManifest([[spec('a', [1])], [spec('b', [2])]], [4, 4], {
        ...source,
        describeGroup: (g) => `the 2 shards group${g + 1}-shard1of2.bin …`,
      }),
    ).toThrow(/the 2 shards group2-shard1of2.bin … is truncated: .* takes 8 bytes, but it holds 4/);
  });
});
