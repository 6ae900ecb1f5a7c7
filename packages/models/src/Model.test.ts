import {
  Add,
  Concatenate,
  Conv2D,
  Dense,
  Dropout,
  Flatten,
  InputLayer,
  input,
  Layer,
  type LayerConfig,
  type LayerShape,
  MaxPooling2D,
  Multiply,
  ReLU,
  registerLayer,
  Subtract,
} from '@sinapse/layers';
import { ConfigError, Generator, randn, ShapeError, seed, type Tensor, tensor, zeros } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { Model, model } from './Model';
import { Sequential } from './Sequential';

const rng = (s: number) => new Generator(s);

/** x → conv → conv → add(x', ·) → flatten → dense: a residual block with its projection. */
function residual(name = 'res') {
  const x = input({ shape: [6, 6, 2], name: `${name}_in` });
  const a = new Conv2D({ name: `${name}_a`, filters: 3, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(x);
  const b = new Conv2D({ name: `${name}_b`, filters: 3, kernelSize: 3, padding: 'same' }).apply(a);
  const skip = new Conv2D({ name: `${name}_skip`, filters: 3, kernelSize: 1 }).apply(x);
  const sum = new Add({ name: `${name}_add` }).apply([b, skip]);
  const out = new Dense({ name: `${name}_out`, units: 4 }).apply(new Flatten({ name: `${name}_flat` }).apply(sum));
  return { x, a, b, skip, sum, out, m: model({ inputs: x, outputs: out, name }) };
}

describe('functional models: building', () => {
  it('input() gives a symbolic tensor with a null batch axis', () => {
    const x = input({ shape: [28, 28, 1], name: 'img' });
    expect(x.shape).toEqual([null, 28, 28, 1]);
    expect(x.dtype).toBe('float32');
    expect(x.node.layer).toBeInstanceOf(InputLayer);
    expect(String(x)).toBe('SymbolicTensor img[0][0] [null, 28, 28, 1] float32');
    expect(input({ batchShape: [8, 4] }).shape).toEqual([8, 4]);
  });

  it('applying layers to symbolic tensors records shapes and allocates no weight', () => {
    const { m, sum, out } = residual();
    expect(sum.shape).toEqual([null, 6, 6, 3]);
    expect(out.shape).toEqual([null, 4]);
    // a: 3·3·2·3+3 = 57, b: 3·3·3·3+3 = 84, skip: 2·3+3 = 9, out: 108·4+4 = 436
    expect(m.countParams()).toBe(57 + 84 + 9 + 436);
    expect(m.layers.every((l) => !l.built)).toBe(true);
    expect(m.layers.map((l) => l.name)).toEqual([
      'res_in',
      'res_a',
      'res_b',
      'res_skip',
      'res_add',
      'res_flat',
      'res_out',
    ]);
    expect(m.inputShape).toEqual([null, 6, 6, 2]);
    expect(m.outputShape).toEqual([null, 4]);
  });

  it('runs the graph: apply equals the same ops written out by hand', () => {
    seed(3);
    const { m } = residual();
    const x = randn([2, 6, 6, 2], { generator: rng(1) });
    const y = m.predict(x);
    const [a, b, skip, out] = ['res_a', 'res_b', 'res_skip', 'res_out'].map((n) => m.getLayer(n));
    const byHand = out!.apply(new Flatten().apply(b!.apply(a!.apply(x)).add(skip!.apply(x))));
    expect(Array.from(y.data)).toEqual(Array.from(byHand.data));
  });

  it('a layer applied twice shares its weights (one set, counted once)', () => {
    const x = input({ shape: [4] });
    const shared = new Dense({ name: 'shared', units: 4 });
    const y = shared.apply(shared.apply(x));
    const m = model({ inputs: x, outputs: y });
    expect(m.countParams()).toBe(20);
    expect(m.weights.map((w) => w.name)).toEqual(['shared/kernel', 'shared/bias']);
    const v = tensor([[1, 2, 3, 4]]);
    expect(Array.from(m.predict(v).data)).toEqual(Array.from(shared.apply(shared.apply(v)).data));
    expect(shared.inboundNodes).toHaveLength(2);
  });

  it('two inputs and two outputs: predict takes a list and returns a list', () => {
    const a = input({ shape: [3], name: 'a' });
    const b = input({ shape: [3], name: 'b' });
    const h = new Concatenate({ name: 'cat' }).apply([a, b]);
    const y1 = new Dense({ name: 'y1', units: 2 }).apply(h);
    const y2 = new Subtract({ name: 'diff' }).apply([a, b]);
    const m = model({ inputs: [a, b], outputs: [y1, y2] });
    const [p1, p2] = m.predict([tensor([[1, 2, 3]]), [[1, 1, 1]]]);
    expect(p1!.shape).toEqual([1, 2]);
    expect(p2!.toArray()).toEqual([[0, 1, 2]]);
    expect(m.inputShapes).toEqual([
      [null, 3],
      [null, 3],
    ]);
    expect(() => m.inputShape).toThrow(/has 2 inputs; inputShapes lists them/);
    expect(() => m.apply([tensor([[1, 2, 3]]), tensor([[1, 2, 3]])])).toThrow(/has 2 outputs.*applyAll/);
    expect(() => m.predict(tensor([[1, 2, 3]]))).toThrow(
      /has 2 inputs, so it takes a list of 2 tensors, but got one tensor/,
    );
  });

  it('a list of one output makes predict return a list of one', () => {
    const x = input({ shape: [2] });
    const m = model({ inputs: x, outputs: [new Dense({ units: 1 }).apply(x)] });
    const out = m.predict(tensor([[1, 2]]));
    expect(Array.isArray(out)).toBe(true);
    expect(out).toHaveLength(1);
  });

  it('training: fixed at a call stays fixed; otherwise the model call decides', () => {
    const x = input({ shape: [100] });
    const always = new Dropout({ rate: 0.5, seed: 1 }).apply(x, { training: true });
    const m = model({ inputs: x, outputs: always });
    const ones = zeros([1, 100]).add(1);
    expect(Array.from(m.predict(ones).data).some((v) => v === 0)).toBe(true);
  });
});

describe('functional models: nesting', () => {
  it('a Sequential inside a Sequential, and a functional model inside both', () => {
    seed(5);
    const inner = new Sequential([new Dense({ name: 'i1', units: 3, inputShape: [2] }), new ReLU({ name: 'r' })], {
      name: 'inner',
    });
    const outer = new Sequential([inner, new Dense({ name: 'o1', units: 1 })], { name: 'outer' });
    expect(outer.outputShape).toEqual([null, 1]);
    expect(outer.countParams()).toBe(9 + 4);
    expect(outer.weights.map((w) => w.name)).toEqual(['i1/kernel', 'i1/bias', 'o1/kernel', 'o1/bias']);
    const x = tensor([[1, -2]]);
    const byHand = outer.getLayer('o1').apply(inner.apply(x));
    expect(Array.from(outer.predict(x).data)).toEqual(Array.from(byHand.data));

    const { m: res } = residual('nested');
    const z = input({ shape: [6, 6, 2] });
    const f = model({ inputs: z, outputs: new Dense({ name: 'head', units: 2 }).apply(res.apply(z)), name: 'f' });
    expect(f.countParams()).toBe(res.countParams() + 10);
    const s = new Sequential([res, new Dense({ name: 'head2', units: 2 })]);
    expect(s.countParams()).toBe(res.countParams() + 10);
  });

  it('a model applied in another graph is one node, its weights the outer model weights', () => {
    const { m: res } = residual('n2');
    const z = input({ shape: [6, 6, 2] });
    const y = res.apply(z);
    const f = model({ inputs: z, outputs: y });
    expect(f.layers.map((l) => l.name)).toEqual([z.node.layer.name, 'n2']);
    expect(f.weights).toHaveLength(res.weights.length);
    expect(f.weights[0]).toBe(res.weights[0]);
  });
});

describe('functional models: graph mistakes', () => {
  it('an output that does not depend on the inputs', () => {
    const a = input({ shape: [3], name: 'a_in' });
    const b = input({ shape: [3], name: 'b_in' });
    const y = new Dense({ units: 2 }).apply(b);
    expect(() => model({ inputs: a, outputs: y, name: 'g' })).toThrow(ConfigError);
    expect(() => model({ inputs: a, outputs: y, name: 'g' })).toThrow(
      /Model 'g': output dense_\d+\[0\]\[0\] \(Dense, shape \[null, 2\]\) depends on b_in\[0\]\[0\] \(InputLayer, shape \[null, 3\]\), which is not in inputs/,
    );
  });

  it('an input that no output uses', () => {
    const a = input({ shape: [3], name: 'used' });
    const b = input({ shape: [3], name: 'unused' });
    expect(() => model({ inputs: [a, b], outputs: new Dense({ units: 1 }).apply(a), name: 'g' })).toThrow(
      /Model 'g': input unused\[0\]\[0\] \(InputLayer, shape \[null, 3\]\) is not used by any output; remove it from inputs/,
    );
  });

  it('a name used twice', () => {
    const x = input({ shape: [3] });
    const y = new Dense({ name: 'twin', units: 3 }).apply(new Dense({ name: 'twin', units: 3 }).apply(x));
    expect(() => model({ inputs: x, outputs: y, name: 'g' })).toThrow(
      /two layers are named 'twin' \(Dense and Dense\)/,
    );
  });

  it('inputs that are not from input(), and things that are not symbolic tensors', () => {
    const x = input({ shape: [3] });
    const h = new Dense({ units: 3 }).apply(x);
    expect(() => model({ inputs: h, outputs: new Dense({ units: 1 }).apply(h), name: 'g' })).toThrow(
      /inputs\[0\] must come straight from input\(\)/,
    );
    expect(() => model({ inputs: x, outputs: tensor([1]) as never, name: 'g' })).toThrow(
      /outputs\[0\] must be a symbolic tensor \(from input\(\) or layer.apply on one\), but got a Tensor, which holds values/,
    );
    expect(() => new Model({ inputs: x, name: 'g' })).toThrow(/give both inputs and outputs/);
    expect(() => new Model({ inputs: x, outputs: h, nam: 'g' } as never)).toThrow(/did you mean 'name'/);
  });

  it('merge layers name both input shapes; one-input layers refuse lists and vice versa', () => {
    const a = input({ shape: [4, 4, 3] });
    const b = input({ shape: [4, 4, 5] });
    expect(() => new Add({ name: 'add' }).apply([a, b])).toThrow(ShapeError);
    expect(() => new Add({ name: 'add' }).apply([a, b])).toThrow(
      /Add 'add': inputs must have the same shape \(or 1 along an axis, to broadcast\), but axis 3 has sizes 3 and 5: shapes \[null, 4, 4, 3\], \[null, 4, 4, 5\]/,
    );
    expect(() => new Add({ name: 'add' }).apply(a)).toThrow(
      /Add 'add' takes a list of tensors, e.g. apply\(\[a, b\]\), but got one symbolic tensor/,
    );
    expect(() => new Dense({ name: 'd', units: 2 }).apply([a, b])).toThrow(
      /Dense 'd' takes one tensor, but got a list of 2 symbolic tensors/,
    );
    expect(() => new Subtract({ name: 's' }).apply([a, a, a])).toThrow(/takes a list of exactly 2 inputs, but got 3/);
    expect(() => new Concatenate({ name: 'c' }).apply([a, input({ shape: [5, 4, 1] })])).toThrow(
      /Concatenate 'c': inputs must have the same shape except along axis -1, but got shapes \[null, 4, 4, 3\], \[null, 5, 4, 1\]/,
    );
    expect(new Concatenate().apply([a, b]).shape).toEqual([null, 4, 4, 8]);
    expect(new Multiply().apply([a, input({ shape: [1, 1, 3] })]).shape).toEqual([null, 4, 4, 3]);
  });

  it('a shared layer applied to an input it cannot take', () => {
    const d = new Dense({ name: 'sh', units: 2 });
    d.apply(input({ shape: [3] }));
    expect(() => d.apply(input({ shape: [4] }))).toThrow(
      /Dense 'sh' was built for inputs \[null, 3\], but got \[null, 4\]/,
    );
  });

  it('a wrong input shape at predict time names the model and both shapes', () => {
    const { m } = residual('shape');
    expect(() => m.predict(zeros([1, 5, 6, 2]))).toThrow(
      /Model 'shape' expects inputs \[null, 6, 6, 2\], but got \[1, 5, 6, 2\]/,
    );
    expect(() => m.predict(zeros([6, 6, 2]))).toThrow(/a batch axis is missing: add one with expandDims\(0\)/);
  });
});

describe('functional models: config, weights, summary', () => {
  it('getConfig has Keras inbound_nodes shape and fromConfig rebuilds the same function', () => {
    seed(7);
    const { m } = residual('cfg');
    const config = JSON.parse(JSON.stringify(m.getConfig()));
    expect(config.inputLayers).toEqual([['cfg_in', 0, 0]]);
    expect(config.outputLayers).toEqual([['cfg_out', 0, 0]]);
    const add = config.layers.find((l: { name: string }) => l.name === 'cfg_add');
    expect(add.inboundNodes).toEqual([
      [
        ['cfg_b', 0, 0, {}],
        ['cfg_skip', 0, 0, {}],
      ],
    ]);
    // the rebuilt model has new layers with the same names; copy the weights to compare
    const twin = Model.fromConfig(config) as Model;
    expect(twin.layers.map((l) => l.name)).toEqual(m.layers.map((l) => l.name));
    twin.setWeights(m.getWeights());
    const x = randn([2, 6, 6, 2], { generator: rng(2) });
    expect(Array.from(twin.predict(x).data)).toEqual(Array.from(m.predict(x).data));
    expect(JSON.parse(JSON.stringify(twin.getConfig()))).toEqual(config);
  });

  it('config round trip of shared layers, two outputs and a nested model', () => {
    const inner = residual('inner2').m;
    const a = input({ shape: [6, 6, 2], name: 'ra' });
    const b = input({ shape: [6, 6, 2], name: 'rb' });
    const shared = new Conv2D({ name: 'shared_conv', filters: 2, kernelSize: 1 });
    const ya = inner.apply(shared.apply(a));
    const yb = inner.apply(shared.apply(b));
    const m = model({ inputs: [a, b], outputs: [ya, new Add({ name: 'both' }).apply([ya, yb])], name: 'big' });
    const config = JSON.parse(JSON.stringify(m.getConfig()));
    expect(config.layers.find((l: { name: string }) => l.name === 'shared_conv').inboundNodes).toEqual([
      [['ra', 0, 0, {}]],
      [['rb', 0, 0, {}]],
    ]);
    const twin = Model.fromConfig(config) as Model<Tensor[]>;
    twin.setWeights(m.getWeights());
    const xs = [randn([1, 6, 6, 2], { generator: rng(3) }), randn([1, 6, 6, 2], { generator: rng(4) })];
    const [p, q] = m.predict(xs);
    const [pt, qt] = twin.predict(xs);
    expect(Array.from(pt!.data)).toEqual(Array.from(p!.data));
    expect(Array.from(qt!.data)).toEqual(Array.from(q!.data));
  });

  it('a config whose calls cannot be replayed is a ConfigError naming the layer and tensor', () => {
    const config = JSON.parse(JSON.stringify(residual('bad').m.getConfig()));
    config.layers.find((l: { name: string }) => l.name === 'bad_add').inboundNodes[0][1][0] = 'ghost';
    expect(() => Model.fromConfig(config)).toThrow(
      /layer 'bad_add' takes ghost\[0\]\[0\], which is not a layer of the config/,
    );
  });

  it("summary prints Keras's functional layout with Connected to; summary(lineLength) and toString", () => {
    const x = input({ shape: [4], name: 'x' });
    const h = new Dense({ name: 'h', units: 3 }).apply(x);
    const y = new Add({ name: 'sum' }).apply([h, new Dense({ name: 'g', units: 3 }).apply(x)]);
    const m = model({ inputs: x, outputs: y, name: 'tiny' });
    const lines: string[] = [];
    const text = m.summary({ printFn: (t) => lines.push(t) });
    expect(lines).toEqual([text]);
    expect(text).toBe(
      [
        'Model: "tiny"',
        '_'.repeat(98),
        'Layer (type)                    Output Shape         Param #     Connected to',
        '='.repeat(98),
        'x (InputLayer)                  [(None, 4)]          0',
        '_'.repeat(98),
        'h (Dense)                       (None, 3)            15          x[0][0]',
        '_'.repeat(98),
        'g (Dense)                       (None, 3)            15          x[0][0]',
        '_'.repeat(98),
        'sum (Add)                       (None, 3)            0           h[0][0]',
        '                                                                 g[0][0]',
        '='.repeat(98),
        'Total params: 30',
        'Trainable params: 30',
        'Non-trainable params: 0',
        '_'.repeat(98),
      ].join('\n'),
    );
    expect(String(m)).toBe(text);
    const wide = m.summary({ lineLength: 120, printFn: () => {} });
    expect(wide.split('\n')[1]).toBe('_'.repeat(120));
    expect(m.summary((120 as never) === 120 ? { printFn: () => {}, lineLength: 120 } : {})).toBe(wide);
    expect(() => m.summary({ lineLenght: 100 } as never)).toThrow(/did you mean 'lineLength'/);
    expect(m.getLayer(1).name).toBe('h');
    expect(() => m.getLayer(9)).toThrow(/has no layer at index 9 \(it has 4: 0 … 3\)/);
  });
});

describe('custom layers and subclassed models', () => {
  /** A residual block as a custom layer: y = relu(x + dense2(relu(dense1(x)))). */
  class ResidualDense extends Layer {
    static override readonly className = 'ResidualDense';
    readonly units: number;
    private readonly first: Dense;
    private readonly second: Dense;

    constructor(options: { units: number; name?: string }) {
      super({ name: options.name });
      this.units = options.units;
      this.first = new Dense({ units: options.units, activation: 'relu', name: `${this.name}_1` });
      this.second = new Dense({ units: options.units, name: `${this.name}_2` });
    }

    protected call(x: Tensor): Tensor {
      return x.add(this.second.apply(this.first.apply(x))).relu();
    }

    protected options(): LayerConfig {
      return { units: this.units };
    }
  }
  registerLayer(ResidualDense);

  it('layers held by a custom layer are tracked: counted, listed, frozen with it', () => {
    const block = new ResidualDense({ units: 4, name: 'blk' });
    const y = block.apply(zeros([2, 4]));
    expect(y.shape).toEqual([2, 4]);
    expect(block.countParams()).toBe(2 * (16 + 4));
    expect(block.weights.map((w) => w.name)).toEqual(['blk_1/kernel', 'blk_1/bias', 'blk_2/kernel', 'blk_2/bias']);
    block.trainable = false;
    expect(block.trainableWeights).toHaveLength(0);
  });

  it('a custom layer in a functional graph: its output shape is found by running it once', () => {
    const x = input({ shape: [4] });
    const y = new ResidualDense({ units: 4, name: 'blk2' }).apply(x);
    expect(y.shape).toEqual([null, 4]);
    const m = model({ inputs: x, outputs: new Dense({ units: 2 }).apply(y) });
    expect(m.countParams()).toBe(40 + 10);
  });

  it('a subclassed model: layers as properties, call written by hand', () => {
    class TwoLayer extends Model {
      readonly hidden = new Dense({ units: 5, activation: 'relu', name: 'sub_hidden' });
      readonly head = new Dense({ units: 2, name: 'sub_head' });
      protected override call(x: Tensor): Tensor {
        return this.head.apply(this.hidden.apply(x));
      }
    }
    const net = new TwoLayer({ name: 'two' });
    const out = net.predict(tensor([[1, 2, 3]]));
    expect(out.shape).toEqual([1, 2]);
    expect(net.countParams()).toBe(20 + 12);
    expect(net.layers.map((l) => l.name)).toEqual(['sub_hidden', 'sub_head']);
    expect(net.weights).toHaveLength(4);
  });

  it('a custom layer that makes its weights in build with addWeight', () => {
    class Scale extends Layer {
      static override readonly className = 'Scale';
      override build(inputShape: LayerShape): void {
        this.addWeight('gamma', [inputShape.at(-1)!], { initializer: 'ones' });
        super.build(inputShape);
      }
      protected call(x: Tensor): Tensor {
        return x.mul(this.weights[0]!);
      }
      protected options(): LayerConfig {
        return {};
      }
    }
    const s = new Scale({ name: 'scale' });
    expect(s.apply(tensor([[2, 3]])).toArray()).toEqual([[2, 3]]);
    expect(s.weights.map((w) => w.name)).toEqual(['scale/gamma']);
    expect(s.countParams()).toBe(2);
    expect(() => s.addWeight('gamma', [2])).toThrow(/already has a weight named 'gamma'/);
    const x = input({ shape: [3] });
    expect(model({ inputs: x, outputs: new Scale().apply(x) }).countParams()).toBe(3);
  });
});

describe('plain values as data', () => {
  it('predict takes nested arrays and typed arrays (read as examples of the input shape)', () => {
    const m = new Sequential([new MaxPooling2D({ poolSize: 2, strides: 2, inputShape: [4, 4, 1] })]);
    const image = [
      [2, 2, 7, 3],
      [9, 4, 6, 1],
      [8, 5, 2, 4],
      [3, 1, 2, 6],
    ].map((row) => row.map((v) => [v]));
    expect(m.predict([image]).squeeze().toArray()).toEqual([
      [9, 7],
      [8, 6],
    ]);
    expect(
      m
        .predict(new Float32Array(image.flat(2)))
        .squeeze()
        .toArray(),
    ).toEqual([
      [9, 7],
      [8, 6],
    ]);
    expect(() => m.predict(new Float32Array(15))).toThrow(
      /15 values is not a whole number of examples of shape \[4, 4, 1\]/,
    );
    expect(() => m.predict([[1, 2], [3]] as never)).toThrow(/predict/);
  });
});
