/**
 * fromOnnx on damaged or hostile files: every failure is a typed error naming the file and the field,
 * found before a weight is allocated (Note [Limits of an ONNX graph] in read.ts). Each case here is a
 * failure the fuzz run (testing/fuzz.ts) or a reading of the code once found, kept as a regression test.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lenet5 } from '@sinapse/models';
import { ConfigError, ShapeError, ValueError } from '@sinapse/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOnnx } from '../node/files';
import { toOnnx } from './export';
import { fromOnnx } from './import';
import { AttributeType, ModelProto } from './proto';

type Json = Record<string, unknown>;
const decode = (bytes: Uint8Array) =>
  ModelProto.toObject(ModelProto.decode(bytes), { longs: Number, arrays: true, bytes: Uint8Array }) as {
    graph: { node: Json[]; initializer: Json[]; input: Json[]; output: Json[] };
  };
const encode = (m: object) => ModelProto.encode(ModelProto.fromObject(m)).finish();
const lenetBytes = toOnnx(lenet5());

/** LeNet-5's ONNX after `edit` of its decoded graph. */
function edited(edit: (g: ReturnType<typeof decode>['graph']) => void): Uint8Array {
  const m = decode(lenetBytes);
  edit(m.graph);
  return encode(m);
}
const gemm = (g: ReturnType<typeof decode>['graph']) => g.node.find((n) => n.opType === 'Gemm')!;
const init = (g: ReturnType<typeof decode>['graph'], name: unknown) => g.initializer.find((t) => t.name === name)!;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('fromOnnx checks a tensor against its data before reading it', () => {
  it.each([
    [
      'dims inflated past the data',
      (g: ReturnType<typeof decode>['graph']) => {
        (init(g, (gemm(g).input as string[])[1]).dims as number[])[0] = 100_000_000;
      },
      ValueError,
      /^fromOnnx: model\.onnx: graph\.initializer\[\d+\] '[^']+' raw_data holds 192,000 bytes, but dims \[100000000, 120\] of float32 take 48,000,000,000/,
    ],
    [
      'a dim past 2^31 − 1',
      (g: ReturnType<typeof decode>['graph']) => {
        (g.initializer[0]!.dims as number[])[0] = 2 ** 40;
      },
      ValueError,
      /graph\.initializer\[0\] '[^']+' dims\[0\] must be an integer from 0 to 2\^31 − 1, but got 1099511627776/,
    ],
    [
      'a negative dim',
      (g: ReturnType<typeof decode>['graph']) => {
        (g.initializer[0]!.dims as number[])[1] = -3;
      },
      ValueError,
      /graph\.initializer\[0\] '[^']+' dims\[1\] must be an integer from 0 to 2\^31 − 1, but got -3/,
    ],
    [
      'float_data shorter than the dims',
      (g: ReturnType<typeof decode>['graph']) => {
        const t = g.initializer[0]!;
        t.floatData = [1, 2, 3];
        delete t.rawData;
      },
      ValueError,
      /graph\.initializer\[0\] '[^']+' float_data has 3 values, but dims \[[\d, ]+\] need \d+/,
    ],
    [
      'a data type it does not read',
      (g: ReturnType<typeof decode>['graph']) => {
        g.initializer[0]!.dataType = 10;
      },
      ConfigError,
      /graph\.initializer\[0\] '[^']+' has data_type 10; float32 \(1\) and int64 \(7\) are read/,
    ],
  ] as const)('%s', (_, edit, type, message) => {
    const bytes = edited(edit);
    expect(() => fromOnnx(bytes)).toThrow(type);
    expect(() => fromOnnx(bytes)).toThrow(message);
  });
});

describe("fromOnnx checks a node's weights against the shapes flowing in", () => {
  it('a Gemm weight that does not fit the flattened input (was: a kernel permuted out of bounds, then built)', () => {
    // LeNet-5's first Gemm takes the 400 features of Flatten; a weight of [401, 120] must not be read as one
    const bytes = edited((g) => {
      const w = init(g, (gemm(g).input as string[])[1]);
      w.dims = [401, 120];
      delete w.rawData;
      w.floatData = new Array(401 * 120).fill(0.5);
    });
    expect(() => fromOnnx(bytes)).toThrow(ShapeError);
    expect(() => fromOnnx(bytes)).toThrow(
      /graph\.node\[\d+\] '[^']+' \(Gemm\): its weight '[^']+' must be \[400, units\] \(400: the features of its input \[null,400\]\), but has dims \[401, 120\]/,
    );
  });

  it('a Conv weight whose in-channels are not the input channels', () => {
    const bytes = edited((g) => {
      const conv = g.node.find((n) => n.opType === 'Conv')!;
      const w = init(g, (conv.input as string[])[1]);
      const dims = w.dims as number[];
      w.dims = [dims[0]! / 2, dims[1]! * 2, dims[2]!, dims[3]!]; // [3, 2, 5, 5]: as many values as [6, 1, 5, 5]
    });
    expect(() => fromOnnx(bytes)).toThrow(ShapeError);
    expect(() => fromOnnx(bytes)).toThrow(/\(Conv\): its weight '[^']+' must be \[out, 1, kh, kw\]/);
  });

  it('a Gemm bias of the wrong length', () => {
    const bytes = edited((g) => {
      const b = init(g, (gemm(g).input as string[])[2]);
      b.dims = [7];
      delete b.rawData;
      b.floatData = new Array(7).fill(0);
    });
    expect(() => fromOnnx(bytes)).toThrow(/\(Gemm\): its bias '[^']+' must be \[120\], but has dims \[7\]/);
  });
});

describe('fromOnnx checks nodes and attributes', () => {
  it.each([
    [
      'an input no node computed',
      (g: ReturnType<typeof decode>['graph']) => {
        (gemm(g).input as string[])[0] = 'nowhere';
      },
      /\(Gemm\): input 0 'nowhere' is not computed by any node before it/,
    ],
    [
      'a node using a value computed after it (a cycle)',
      (g: ReturnType<typeof decode>['graph']) => {
        (g.node[1]!.input as string[])[0] = (g.node.at(-1)!.output as string[])[0]!;
      },
      /graph\.node\[1\] .*: input 0 '[^']+' is not computed by any node before it/,
    ],
    [
      'strides of the wrong type',
      (g: ReturnType<typeof decode>['graph']) => {
        const conv = g.node.find((n) => n.opType === 'Conv')!;
        (conv.attribute as Json[]).find((a) => a.name === 'strides')!.type = AttributeType.FLOAT;
      },
      /\(Conv\): attribute 'strides' must be ints, but it is a float/,
    ],
    [
      'strides of zero',
      (g: ReturnType<typeof decode>['graph']) => {
        const conv = g.node.find((n) => n.opType === 'Conv')!;
        (conv.attribute as Json[]).find((a) => a.name === 'strides')!.ints = [0, 1];
      },
      /\(Conv\): attribute 'strides' must be 2 integers from 1 to 2147483647, but got \[0, 1\]/,
    ],
    [
      'a merge with no inputs',
      (g: ReturnType<typeof decode>['graph']) => {
        g.node.push({ opType: 'Concat', name: 'cat', input: [], output: ['z'], attribute: [] });
      },
      /graph\.node\[\d+\] 'cat' \(Concat\): takes 1 to 1024 inputs, but has 0/,
    ],
    [
      'two nodes writing one value',
      (g: ReturnType<typeof decode>['graph']) => {
        (g.node[2]!.output as string[])[0] = (g.node[1]!.output as string[])[0]!;
      },
      /graph\.node\[2\] .*: output '[^']+' is already computed/,
    ],
    [
      'a million nodes',
      (g: ReturnType<typeof decode>['graph']) => {
        g.node = Array.from({ length: 20_000 }, () => ({ opType: 'Relu', input: [], output: [], attribute: [] }));
      },
      /graph\.node has 20,000 entries, more than the 10,000 a model may have here/,
    ],
  ] as const)('%s', (_, edit, message) => {
    const bytes = edited(edit);
    expect(() => fromOnnx(bytes)).toThrow(message);
    try {
      fromOnnx(bytes);
    } catch (err) {
      expect(['ConfigError', 'ValueError', 'ShapeError']).toContain((err as Error).name);
    }
  });
});

describe('fromOnnx stays linear in the graph', () => {
  it('5,000 nodes of one name get unique layer names without a quadratic search', () => {
    const bytes = edited((g) => {
      const first = String(g.input[0]!.name);
      g.node = Array.from({ length: 5_000 }, (_, i) => ({
        opType: 'Relu',
        name: 'same',
        input: [i === 0 ? first : `r${i - 1}`],
        output: [`r${i}`],
        attribute: [],
      }));
      g.output = [{ name: 'r4999' }];
      g.initializer = [];
    });
    const m = fromOnnx(bytes);
    expect(new Set(m.layers.map((l) => l.name)).size).toBe(m.layers.length);
    expect(m.layers.at(-1)!.name).toBe('same_4999');
  });
});

describe('loadOnnx names the file', () => {
  it('in decoding errors, and in the errors of fromOnnx', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sinapse-onnx-'));
    dirs.push(dir);
    const file = join(dir, 'broken.onnx');
    writeFileSync(file, lenetBytes.subarray(0, 1000));
    expect(() => loadOnnx(file)).toThrow(ValueError);
    expect(() => loadOnnx(file)).toThrow(`loadOnnx: ${file}: the bytes are not an ONNX model`);
    const inflated = join(dir, 'inflated.onnx');
    writeFileSync(
      inflated,
      edited((g) => {
        (g.initializer[0]!.dims as number[])[0] = 99;
      }),
    );
    expect(() => loadOnnx(inflated)).toThrow(new RegExp(`^loadOnnx: ${inflated}: graph\\.initializer\\[0\\]`));
    expect(() => loadOnnx(join(dir, 'missing.onnx'))).toThrow(`${join(dir, 'missing.onnx')} is missing`);
    // and a good file loads, predicting as fromOnnx
    const good = join(dir, 'lenet.onnx');
    writeFileSync(good, lenetBytes);
    expect(loadOnnx(good).countParams()).toBe(fromOnnx(lenetBytes).countParams());
  });
});

describe('fromOnnx: its input is checked too', () => {
  it('bytes that are not a Uint8Array', () => {
    expect(() => fromOnnx('model.onnx' as unknown as Uint8Array)).toThrow(
      /^fromOnnx: model\.onnx: expects the file's bytes as a Uint8Array, but got model\.onnx/,
    );
  });
  it('an input dim past 2^31 − 1', () => {
    const bytes = edited((g) => {
      ((g.input[0]!.type as Json).tensorType as { shape: { dim: Json[] } }).shape.dim[1]!.dimValue = 2 ** 33;
    });
    expect(() => fromOnnx(bytes)).toThrow(ConfigError);
    expect(() => fromOnnx(bytes)).toThrow(/graph\.input\[0\] '[^']+' needs static sizes from 1 to 2\^31 − 1/);
  });
});
