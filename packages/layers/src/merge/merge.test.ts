import { ConfigError, ShapeError, type Tensor, tensor, zeros } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { input } from '../core/InputLayer';
import type { Layer, LayerOptions } from '../Layer';
import { deserializeLayer, serializeLayer } from '../registry';
import { gradCheckLayer } from '../testing/gradCheckLayer';
import { runLayerTest } from '../testing/layerTest';
import { Add } from './Add';
import { Average } from './Average';
import { Concatenate } from './Concatenate';
import { Maximum } from './Maximum';
import { Minimum } from './Minimum';
import { Multiply } from './Multiply';
import { Subtract } from './Subtract';

type MergeClass = new (options?: LayerOptions) => Layer;
const elementwise: Array<[string, MergeClass]> = [
  ['Add', Add],
  ['Subtract', Subtract],
  ['Multiply', Multiply],
  ['Average', Average],
  ['Maximum', Maximum],
  ['Minimum', Minimum],
];
/** Subtract takes exactly two inputs; the others two or more. */
const takesMany = (name: string) => name !== 'Subtract';

const a = () => tensor([[1, 5, -2]]);
const b = () => tensor([[3, 2, -2]]);
const c = () => tensor([[0, 8, 4]]);

describe('merge layers: values worked out by hand', () => {
  it.each([
    ['Add', Add, [[4, 7, -4]], [[4, 15, 0]]],
    ['Subtract', Subtract, [[-2, 3, 0]], null],
    ['Multiply', Multiply, [[3, 10, 4]], [[0, 80, 16]]],
    ['Average', Average, [[2, 3.5, -2]], [[4 / 3, 5, 0]]],
    ['Maximum', Maximum, [[3, 5, -2]], [[3, 8, 4]]],
    ['Minimum', Minimum, [[1, 2, -2]], [[0, 2, -2]]],
  ] as const)('%s of [1, 5, -2], [3, 2, -2] (and [0, 8, 4])', (_name, Cls, two, three) => {
    expect(new Cls().apply([a(), b()]).toArray()).toEqual(two);
    if (three !== null) {
      const y = new Cls().apply([a(), b(), c()]).toArray() as number[][];
      y[0]!.forEach((v, i) => {
        expect(v).toBeCloseTo(three[0]![i]!, 6);
      });
    }
  });

  it('a size-1 axis broadcasts: [2, 1] + [1, 3] is the outer sum', () => {
    expect(new Add().apply([tensor([[10], [20]]), tensor([[1, 2, 3]])]).toArray()).toEqual([
      [11, 12, 13],
      [21, 22, 23],
    ]);
    // Subtract keeps its order: a − b, not b − a
    expect(new Subtract().apply([tensor([[1, 2]]), tensor([[5], [7]])]).toArray()).toEqual([
      [-4, -3],
      [-6, -5],
    ]);
  });

  it('Concatenate joins along the axis, in the order given', () => {
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    const y = tensor([[5], [6]]);
    expect(new Concatenate().apply([x, y]).toArray()).toEqual([
      [1, 2, 5],
      [3, 4, 6],
    ]);
    expect(new Concatenate().apply([y, x]).toArray()).toEqual([
      [5, 1, 2],
      [6, 3, 4],
    ]);
    // rank 3, axis 1 (= -2): [1, 2, 2] and [1, 1, 2] → [1, 3, 2]
    const p = x.reshape([1, 2, 2]);
    const q = tensor([[[9, 8]]]);
    expect(new Concatenate({ axis: 1 }).apply([p, q]).toArray()).toEqual([
      [
        [1, 2],
        [3, 4],
        [9, 8],
      ],
    ]);
    expect(new Concatenate({ axis: -2 }).apply([p, q]).toArray()).toEqual(
      new Concatenate({ axis: 1 }).apply([p, q]).toArray(),
    );
  });
});

describe('merge layers: layer harness', () => {
  // [input shapes, output shape]; no weights, so 0 parameters in every case
  const shapes: Array<[number[][], number[]]> = [
    [
      [
        [2, 3],
        [2, 3],
      ],
      [2, 3],
    ],
    [
      [
        [2, 4, 4, 3],
        [2, 4, 4, 3],
      ],
      [2, 4, 4, 3],
    ],
    // a per-channel tensor broadcast over the image (squeeze-and-excitation's scaling)
    [
      [
        [2, 4, 4, 3],
        [2, 1, 1, 3],
      ],
      [2, 4, 4, 3],
    ],
    // each input broadcasts along a different axis
    [
      [
        [2, 1, 5],
        [2, 3, 1],
      ],
      [2, 3, 5],
    ],
  ];
  for (const [name, Cls] of elementwise) {
    const cases = [
      ...shapes,
      ...(takesMany(name)
        ? ([
            [
              [
                [3, 2, 4],
                [3, 2, 4],
                [3, 1, 4],
              ],
              [3, 2, 4],
            ],
          ] as Array<[number[][], number[]]>)
        : []),
    ];
    it.each(cases)(`${name} on %j → %j`, (inputShape, out) => {
      runLayerTest({
        title: name,
        make: () => new Cls(),
        inputShape,
        expectedOutputShape: out,
        expectedParams: 0,
      });
    });
  }

  const concatCases: Array<[number, number[][], number[]]> = [
    [
      -1,
      [
        [2, 4, 4, 3],
        [2, 4, 4, 5],
      ],
      [2, 4, 4, 8],
    ],
    [
      3,
      [
        [2, 4, 4, 3],
        [2, 4, 4, 1],
        [2, 4, 4, 2],
      ],
      [2, 4, 4, 6],
    ],
    [
      1,
      [
        [2, 3],
        [2, 4],
      ],
      [2, 7],
    ],
    [
      1,
      [
        [2, 3, 4],
        [2, 2, 4],
      ],
      [2, 5, 4],
    ],
    [
      -2,
      [
        [2, 3, 4, 2],
        [2, 3, 1, 2],
        [2, 3, 2, 2],
      ],
      [2, 3, 7, 2],
    ],
    [
      -3,
      [
        [1, 2, 3, 2],
        [1, 4, 3, 2],
      ],
      [1, 6, 3, 2],
    ],
  ];
  it.each(concatCases)('Concatenate axis=%i on %j → %j', (axis, inputShape, out) => {
    runLayerTest({
      title: 'Concatenate',
      make: () => new Concatenate({ axis }),
      inputShape,
      expectedOutputShape: out,
      expectedParams: 0,
    });
  });

  it('unknown sizes: an unknown axis stays unknown unless another input fixes it (Concatenate: the sum is unknown)', () => {
    expect(
      new Add().computeOutputShape([
        [null, 4, 1],
        [null, null, 3],
      ]),
    ).toEqual([null, 4, 3]);
    expect(
      new Add().computeOutputShape([
        [null, 1],
        [null, null],
      ]),
    ).toEqual([null, null]);
    expect(
      new Concatenate().computeOutputShape([
        [null, 2, 3],
        [null, null, 4],
      ]),
    ).toEqual([null, 2, 7]);
    expect(
      new Concatenate({ axis: 1 }).computeOutputShape([
        [null, 2, 3],
        [null, null, 3],
      ]),
    ).toEqual([null, null, 3]);
  });
});

describe('merge layers: float64 gradient check w.r.t. every input', () => {
  const cases: Array<[string, number[][]]> = [
    [
      'same shapes',
      [
        [2, 3, 4],
        [2, 3, 4],
      ],
    ],
    [
      'size-1 axes broadcast',
      [
        [2, 1, 4],
        [2, 3, 1],
      ],
    ],
    [
      'three inputs, one broadcast',
      [
        [2, 3, 4],
        [2, 1, 4],
        [2, 3, 4],
      ],
    ],
  ];
  for (const [name, Cls] of elementwise) {
    for (const [title, inputShape] of cases) {
      if (!takesMany(name) && inputShape.length > 2) continue;
      it(`${name}: ${title} ${JSON.stringify(inputShape)}`, () => {
        expect(gradCheckLayer(new Cls({ dtype: 'float64' }), inputShape)).toEqual([]);
      });
    }
  }
  it.each([
    [
      -1,
      [
        [2, 3, 2],
        [2, 3, 4],
      ],
    ],
    [
      1,
      [
        [2, 1, 3],
        [2, 4, 3],
        [2, 2, 3],
      ],
    ],
    [
      -2,
      [
        [1, 2, 3, 2],
        [1, 2, 1, 2],
      ],
    ],
  ])('Concatenate axis=%i on %j', (axis, inputShape) => {
    expect(gradCheckLayer(new Concatenate({ axis, dtype: 'float64' }), inputShape)).toEqual([]);
  });

  it('the check can fail: a wrong gradient for the second input is caught and named', () => {
    // a + detach(b) has the values of a + b, but backpropagation gives b a zero gradient where the
    // difference quotient is 1
    class Wrong extends Add {
      protected override merge(p: Tensor, q: Tensor): Tensor {
        return p.add(q.detach());
      }
    }
    const problems = gradCheckLayer(new Wrong({ dtype: 'float64' }), [
      [2, 2],
      [2, 2],
    ]);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(/^input 1\[0\]: analytic 0, numerical/);
  });
});

describe('merge layers: config round trips', () => {
  it.each([
    ...elementwise.map(([n, Cls]) => [n, () => new Cls({ name: `m_${n}`, trainable: false })] as const),
    ['Concatenate', () => new Concatenate({ name: 'm_cat', axis: -2 })] as const,
  ])('%s: getConfig → deserializeLayer → the same config and class', (name, make) => {
    const layer = make();
    const serialized = JSON.parse(JSON.stringify(serializeLayer(layer)));
    expect(serialized.className).toBe(name);
    const twin = deserializeLayer(serialized);
    expect(twin).toBeInstanceOf(layer.constructor);
    expect(twin.getConfig()).toEqual(layer.getConfig());
    expect(twin.name).toBe(layer.name);
  });

  it('the configs hold the name, trainable, dtype and (Concatenate) the axis, nothing else', () => {
    expect(serializeLayer(new Maximum({ name: 'mx' }))).toEqual({
      className: 'Maximum',
      config: { name: 'mx', trainable: true, dtype: 'float32' },
    });
    expect(serializeLayer(new Concatenate({ name: 'cat', axis: 2, dtype: 'float64' }))).toEqual({
      className: 'Concatenate',
      config: { name: 'cat', trainable: true, dtype: 'float64', axis: 2 },
    });
    expect(new Concatenate().axis).toBe(-1);
    expect(String(new Concatenate({ axis: -2 }))).toBe('Concatenate(axis=-2)');
  });
});

describe('merge layers: wrong inputs', () => {
  const t23 = () => zeros([2, 3]);
  type Row = [string, () => unknown, typeof ShapeError | typeof ConfigError, RegExp];
  const rows = (name: string, Cls: MergeClass): Row[] => {
    const layer = () => new Cls({ name: 'm' });
    const who = `${name} 'm'`;
    const count = takesMany(name) ? 'at least 2' : 'exactly 2';
    const list: Row[] = [
      [
        'one tensor instead of a list',
        () => layer().apply(t23()),
        ConfigError,
        new RegExp(`^${who} takes a list of tensors, e\\.g\\. apply\\(\\[a, b\\]\\), but got a tensor$`),
      ],
      [
        'an empty list',
        () => layer().apply([]),
        ConfigError,
        /takes a list of tensors, e\.g\. apply\(\[a, b\]\), but got \[\]$/,
      ],
      [
        'a plain array in the list',
        () => layer().apply([t23(), [[1, 2, 3]]] as never),
        ConfigError,
        /but got \[a tensor, an array\]$/,
      ],
      [
        'a symbolic tensor mixed with a tensor',
        () => layer().apply([input({ shape: [3] }), t23()] as never),
        ConfigError,
        /but got \[a symbolic tensor, a tensor\]$/,
      ],
      [
        'a list of one',
        () => layer().apply([t23()]),
        ShapeError,
        new RegExp(`^${who} takes a list of ${count} inputs, but got 1: \\[\\[2, 3\\]\\]$`),
      ],
      [
        'ranks that differ',
        () => layer().apply([t23(), zeros([2, 3, 1])]),
        ShapeError,
        new RegExp(`^${who}: every input must have the same rank, but got shapes \\[2, 3\\], \\[2, 3, 1\\]$`),
      ],
      [
        'sizes that differ and are not 1',
        () => layer().apply([zeros([2, 4, 3]), zeros([2, 4, 5])]),
        ShapeError,
        new RegExp(
          `^${who}: inputs must have the same shape \\(or 1 along an axis, to broadcast\\), but axis 2 has sizes 3 and 5: ` +
            'shapes \\[2, 4, 3\\], \\[2, 4, 5\\]$',
        ),
      ],
      [
        'a symbolic mismatch names the unknown batch',
        () => layer().apply([input({ shape: [3] }), input({ shape: [2] })]),
        ShapeError,
        /axis 1 has sizes 3 and 2: shapes \[null, 3\], \[null, 2\]$/,
      ],
    ];
    if (takesMany(name)) {
      list.push([
        'the third of three shapes differs: every shape is named',
        () => layer().apply([t23(), t23(), zeros([2, 4])]),
        ShapeError,
        /but axis 1 has sizes 3 and 3 and 4: shapes \[2, 3\], \[2, 3\], \[2, 4\]$/,
      ]);
    } else {
      list.push([
        'three inputs',
        () => layer().apply([t23(), t23(), t23()]),
        ShapeError,
        /^Subtract 'm' takes a list of exactly 2 inputs, but got 3: \[\[2, 3\], \[2, 3\], \[2, 3\]\]$/,
      ]);
    }
    return list;
  };
  for (const [name, Cls] of elementwise) {
    it.each(rows(name, Cls))(`${name}: %s`, (_title, run, Err, message) => {
      expect(run).toThrow(Err);
      expect(run).toThrow(message);
    });
  }

  const cat = (axis?: number) => new Concatenate({ name: 'c', axis });
  it.each([
    [
      'axis 0 (the batch)',
      () => cat(0),
      ConfigError,
      /^Concatenate 'c': axis must be a non-zero integer \(axis 0 is the batch\), but got 0$/,
    ],
    ['a fractional axis', () => cat(1.5), ConfigError, /axis must be a non-zero integer .*, but got 1\.5$/],
    ['a misspelled option', () => new Concatenate({ axes: 1 } as never), ConfigError, /did you mean 'axis'/],
    ['one tensor', () => cat().apply(zeros([2, 3])), ConfigError, /^Concatenate 'c' takes a list of tensors/],
    [
      'a list of one',
      () => cat().apply([zeros([2, 3])]),
      ShapeError,
      /^Concatenate 'c' takes a list of at least 2 inputs, but got 1: \[\[2, 3\]\]$/,
    ],
    [
      'an axis past the last',
      () => cat(3).apply([zeros([2, 3, 4]), zeros([2, 3, 4])]),
      ShapeError,
      /^Concatenate 'c': axis 3 must name a feature axis of the inputs \(1 … 2\), but got shapes \[2, 3, 4\], \[2, 3, 4\]$/,
    ],
    [
      'a negative axis that reaches the batch',
      () => cat(-3).apply([zeros([2, 3, 4]), zeros([2, 3, 4])]),
      ShapeError,
      /axis -3 must name a feature axis of the inputs \(1 … 2\), but got shapes \[2, 3, 4\], \[2, 3, 4\]$/,
    ],
    [
      'sizes that differ off the axis',
      () => cat().apply([zeros([2, 3, 4]), zeros([2, 5, 4]), zeros([2, 3, 1])]),
      ShapeError,
      /^Concatenate 'c': inputs must have the same shape except along axis -1, but got shapes \[2, 3, 4\], \[2, 5, 4\], \[2, 3, 1\]$/,
    ],
    [
      'ranks that differ',
      () => cat(1).apply([zeros([2, 3, 4]), zeros([2, 3])]),
      ShapeError,
      /except along axis 1, but got shapes \[2, 3, 4\], \[2, 3\]$/,
    ],
    [
      'batch sizes that differ',
      () => cat().apply([zeros([2, 3]), zeros([1, 3])]),
      ShapeError,
      /except along axis -1, but got shapes \[2, 3\], \[1, 3\]$/,
    ],
  ] as const)('Concatenate: %s', (_title, run, Err, message) => {
    expect(run).toThrow(Err);
    expect(run).toThrow(message);
  });
});
