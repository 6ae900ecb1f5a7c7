import {
  AveragePooling2D,
  BatchNormalization,
  Conv2D,
  Dense,
  Dropout,
  Flatten,
  l2,
  MaxPooling2D,
  ReLU,
} from '@sinapse/layers';
import { ConfigError, randn, ShapeError, seed, type Tensor, tensor, ValueError, zeros } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { lenet5 } from './architectures/lenet5';
import { Sequential } from './Sequential';

const small = () =>
  new Sequential(
    [
      new Conv2D({ name: 'conv', filters: 2, kernelSize: 3, inputShape: [6, 6, 1] }),
      new MaxPooling2D({ name: 'pool', poolSize: 2 }),
      new Flatten({ name: 'flat' }),
      new Dense({ name: 'out', units: 3 }),
    ],
    { name: 'small' },
  );

describe('Sequential: the issue contract', () => {
  it('max-pools the lecture image 2x2/2 to [[9, 7], [8, 6]]', () => {
    const image = tensor([
      [2, 2, 7, 3],
      [9, 4, 6, 1],
      [8, 5, 2, 4],
      [3, 1, 2, 6],
    ]).reshape([1, 4, 4, 1]);
    const model = new Sequential([new MaxPooling2D({ poolSize: 2, strides: 2 })]);
    expect(model.predict(image).squeeze().toArray()).toEqual([
      [9, 7],
      [8, 6],
    ]);
  });
});

describe('Sequential: building', () => {
  it('infers each layer shape from the first inputShape at add time', () => {
    const m = small();
    expect(m.inputShape).toEqual([null, 6, 6, 1]);
    expect(m.outputShape).toEqual([null, 3]);
    // conv 6→4, pool 4→2, flatten 2·2·2 = 8, dense 8·3+3 = 27; conv 3·3·1·2+2 = 20
    expect(m.countParams()).toBe(47);
    expect(m.layers.some((l) => l.built)).toBe(false);
  });

  it('add() appends and returns the model; layers is a copy', () => {
    const m = new Sequential([], { name: 'm' });
    expect(m.add(new Dense({ name: 'a', units: 2, inputShape: [3] }))).toBe(m);
    m.add(new Dense({ name: 'b', units: 1 }));
    expect(m.layers.map((l) => l.name)).toEqual(['a', 'b']);
    m.layers.pop();
    expect(m.layers).toHaveLength(2);
    expect(m.outputShape).toEqual([null, 1]);
  });

  it('without inputShape the shapes are learned on the first call', () => {
    const m = new Sequential([new Flatten({ name: 'f' }), new Dense({ name: 'd', units: 2 })]);
    expect(m.inputShape).toBeNull();
    expect(() => m.countParams()).toThrow(/countParams needs the input shape; give the first layer inputShape/);
    m.apply(randn([1, 2, 3]));
    expect(m.inputShape).toEqual([null, 2, 3]);
    expect(m.countParams()).toBe(6 * 2 + 2);
  });

  it('rejects something that is not a layer', () => {
    const m = new Sequential([], { name: 'm' });
    expect(() => m.add({ name: 'x' } as never)).toThrow(ConfigError);
    expect(() => m.add({ name: 'x' } as never)).toThrow(
      "Sequential 'm': add expects a Layer, but got an object of type Object",
    );
    expect(() => new Sequential([3 as never], { name: 'n' })).toThrow('add expects a Layer, but got number 3');
  });

  it('rejects a layer name used twice', () => {
    expect(
      () => new Sequential([new Dense({ name: 'fc', units: 2 }), new Dense({ name: 'fc', units: 2 })], { name: 'm' }),
    ).toThrow("Sequential 'm': the model already has a layer named 'fc'; layer names must be unique");
  });

  it('rejects a layer that cannot take the previous output, naming both', () => {
    const m = small();
    expect(() => m.add(new Conv2D({ name: 'conv_b', filters: 1, kernelSize: 2 }))).toThrow(ShapeError);
    expect(() => m.add(new Conv2D({ name: 'conv_c', filters: 1, kernelSize: 2 }))).toThrow(
      /^Sequential: layer 'conv_c' \(Conv2D\) cannot take the output of 'out', shape \[null, 3\]: Conv2D 'conv_c' expects input \[batch, height, width, channels\]/,
    );
    // the failed layer was not added
    expect(m.layers.map((l) => l.name)).toEqual(['conv', 'pool', 'flat', 'out']);
  });

  it('rejects a pool larger than its input at add time', () => {
    const m = new Sequential([new Conv2D({ name: 'c', filters: 1, kernelSize: 3, inputShape: [4, 4, 1] })]);
    expect(() => m.add(new MaxPooling2D({ name: 'p', poolSize: 3 }))).toThrow(
      /layer 'p' \(MaxPooling2D\) cannot take the output of 'c', shape \[null, 2, 2, 1\]/,
    );
  });

  it('getLayer finds by name and lists the names when missing', () => {
    const m = small();
    expect(m.getLayer('pool')).toBe(m.layers[1]);
    expect(() => m.getLayer('nope')).toThrow(
      "Sequential 'small' has no layer named 'nope'; its layers are 'conv', 'pool', 'flat', 'out'",
    );
  });
});

describe('Sequential: apply and predict', () => {
  it('apply checks the declared input shape', () => {
    expect(() => small().apply(randn([2, 5, 5, 1]))).toThrow(
      "Sequential 'small' expects inputs [null, 6, 6, 1], but got [2, 5, 5, 1]",
    );
  });

  it('apply with no layers is an error', () => {
    expect(() => new Sequential([], { name: 'e' }).apply(randn([1, 2]))).toThrow("Sequential 'e' has no layers");
  });

  it('predict in batches of 4 over 10 examples equals apply on all 10', () => {
    seed(1);
    const m = small();
    const x = randn([10, 6, 6, 1]);
    const whole = m.apply(x);
    const batched = m.predict(x, { batchSize: 4 });
    expect(batched.shape).toEqual([10, 3]);
    expect(Array.from(batched.data)).toEqual(Array.from(whole.data));
  });

  it('predict records no graph, apply does', () => {
    const m = small();
    const x = randn([3, 6, 6, 1]);
    expect(m.predict(x, { batchSize: 2 }).requiresGrad).toBe(false);
    expect(m.apply(x).requiresGrad).toBe(true);
  });

  it('predict rejects a bad batchSize and a scalar', () => {
    const m = small();
    expect(() => m.predict(randn([1, 6, 6, 1]), { batchSize: 0 })).toThrow(ValueError);
    expect(() => m.predict(randn([1, 6, 6, 1]), { batchSize: 1.5 })).toThrow(
      "Sequential 'small': predict batchSize must be a positive integer, but got 1.5",
    );
    expect(() => m.predict(tensor(1))).toThrow('predict needs a batch axis, but got a scalar');
  });

  it('predict on 0 examples returns an empty [0, 3] output (Keras, TF.js), from computeOutputShape', () => {
    const out = small().predict(randn([0, 6, 6, 1]));
    expect(out.shape).toEqual([0, 3]);
    expect(out.size).toBe(0);
  });

  it('predict on 0 examples without a declared input shape: [0, 4] → [0, 3]', () => {
    const out = new Sequential([new Dense({ name: 'd', units: 3 })]).predict(randn([0, 4]));
    expect(out.shape).toEqual([0, 3]);
  });

  it('predict on 0 examples still checks the input shape', () => {
    expect(() => small().predict(randn([0, 5, 5, 1]))).toThrow(
      "Sequential 'small' expects inputs [null, 6, 6, 1], but got [0, 5, 5, 1]",
    );
  });

  it('predict on 0 examples: the same no-layers check, and the input shape an earlier call fixed', () => {
    expect(() => new Sequential([], { name: 'e' }).predict(randn([0, 2]))).toThrow(
      "Sequential 'e' has no layers; add some before calling it",
    );
    const m = new Sequential([new Dense({ name: 'd', units: 3 })], { name: 'late' });
    m.predict(randn([2, 4])); // fixes the input shape [null, 4]
    expect(() => m.predict(randn([0, 5]))).toThrow("Sequential 'late' expects inputs [null, 4], but got [0, 5]");
  });

  it('training: true reaches the layers (Dropout drops)', () => {
    seed(2);
    const m = new Sequential([new Dropout({ name: 'd', rate: 0.5, inputShape: [100] })]);
    const x = tensor(new Float32Array(100).fill(1), [1, 100]);
    expect(Array.from(m.apply(x).data).every((v) => v === 1)).toBe(true);
    // inverted dropout: kept values are scaled by 1 / (1 − 0.5)
    expect(new Set(m.apply(x, { training: true }).data)).toEqual(new Set([0, 2]));
  });
});

describe('Sequential: weights', () => {
  it('weights come layer by layer in Keras order, and build the layers', () => {
    const m = small();
    expect(m.weights.map((p) => p.name)).toEqual(['conv/kernel', 'conv/bias', 'out/kernel', 'out/bias']);
    expect(m.layers[0]!.built).toBe(true);
    expect(m.weights.map((p) => p.shape)).toEqual([[3, 3, 1, 2], [2], [8, 3], [3]]);
  });

  it('trainable and non-trainable weights split BatchNormalization statistics and frozen layers', () => {
    const m = new Sequential([
      new Dense({ name: 'd', units: 2, inputShape: [3] }),
      new BatchNormalization({ name: 'bn' }),
      new Dense({ name: 'frozen', units: 1, trainable: false }),
    ]);
    expect(m.trainableWeights.map((p) => p.name)).toEqual(['d/kernel', 'd/bias', 'bn/gamma', 'bn/beta']);
    expect(m.nonTrainableWeights.map((p) => p.name)).toEqual([
      'bn/moving_mean',
      'bn/moving_variance',
      'frozen/kernel',
      'frozen/bias',
    ]);
  });

  it('getWeights returns copies; setWeights writes them back', () => {
    const a = small();
    const b = small();
    b.setWeights(a.getWeights());
    const x = randn([2, 6, 6, 1]);
    expect(Array.from(b.predict(x).data)).toEqual(Array.from(a.predict(x).data));
    const copy = a.getWeights()[1]!;
    copy.data[0] = 123;
    expect(a.weights[1]!.data[0]).not.toBe(123);
  });

  it('setWeights rejects a wrong count, listing what it expects', () => {
    const m = small();
    expect(() => m.setWeights(m.getWeights().slice(0, 3))).toThrow(
      "Sequential 'small': setWeights expects 4 tensors (conv/kernel [3, 3, 1, 2], conv/bias [2], out/kernel [8, 3], out/bias [3]), but got 3",
    );
  });

  it('setWeights rejects a wrong shape and changes nothing', () => {
    const m = small();
    const before = m.getWeights().map((w) => Array.from(w.data));
    const values: Tensor[] = m.getWeights().map((w) => w.add(1));
    values[3] = randn([4]);
    expect(() => m.setWeights(values)).toThrow(
      "Sequential 'small': setWeights: weight 3 (out/bias) has shape [3], but got [4]",
    );
    expect(m.getWeights().map((w) => Array.from(w.data))).toEqual(before);
  });

  it('setWeights with a plain array asks for tensors (the check Layer.setWeights shares), changing nothing', () => {
    const m = small();
    const before = m.getWeights().map((w) => Array.from(w.data));
    const values: unknown[] = m.getWeights().map((w) => w.add(1));
    values[3] = [0, 0, 0];
    expect(() => m.setWeights(values as Tensor[])).toThrow(ConfigError);
    expect(() => m.setWeights(values as Tensor[])).toThrow(
      "Sequential 'small': setWeights: weight 3 must be a Tensor, but got an array; wrap the values with tensor(values)",
    );
    expect(m.getWeights().map((w) => Array.from(w.data))).toEqual(before);
  });

  it('regularizationLoss sums the layers: 0.5·Σk² + 0.25·Σk² over two kernels of ones', () => {
    const ones = { className: 'Ones', config: {} } as const;
    const m = new Sequential([
      new Dense({ name: 'a', units: 2, inputShape: [3], kernelInitializer: ones, kernelRegularizer: l2(0.5) }),
      new Dense({ name: 'b', units: 1, kernelInitializer: ones, kernelRegularizer: l2(0.25) }),
    ]);
    // a/kernel has 6 ones, b/kernel 2: 0.5·6 + 0.25·2 = 3.5
    expect(m.regularizationLoss()!.item()).toBeCloseTo(3.5, 6);
    expect(small().regularizationLoss()).toBeNull();
  });

  it('zeroGrad clears the gradient of every weight', () => {
    const m = small();
    m.apply(randn([2, 6, 6, 1]))
      .sum()
      .backward();
    expect(m.weights.every((p) => p.grad !== null)).toBe(true);
    m.zeroGrad();
    expect(m.weights.every((p) => p.grad === null)).toBe(true);
  });
});

describe('Sequential: config', () => {
  it('getConfig / fromConfig rebuilds the same architecture', () => {
    const m = lenet5();
    const config = JSON.parse(JSON.stringify(m.getConfig()));
    const again = Sequential.fromConfig(config);
    expect(again.name).toBe('lenet5');
    expect(again.layers.map((l) => l.toString())).toEqual(m.layers.map((l) => l.toString()));
    expect(again.getConfig()).toEqual(m.getConfig());
    expect(again.countParams()).toBe(61706);
  });

  it('keeps an input shape learned on the first call', () => {
    const m = new Sequential([
      new AveragePooling2D({ name: 'p' }),
      new Flatten({ name: 'f' }),
      new ReLU({ name: 'r' }),
    ]);
    m.apply(randn([1, 4, 4, 2]));
    const again = Sequential.fromConfig(m.getConfig());
    expect(again.outputShape).toEqual([null, 8]);
  });

  it('fromConfig rejects something that is not a config', () => {
    expect(() => Sequential.fromConfig({ name: 'x' } as never)).toThrow(
      'Sequential.fromConfig: expects { name, layers: [...] }, but got an object of type Object',
    );
  });
});

describe('Sequential: summary', () => {
  it('prints LeNet-5 as Keras does', () => {
    // written by hand: columns start at 0, 29 and 55 (Keras's Sequential layout); counts from the lenet5 docs
    const expected = [
      'Model: "lenet5"',
      '_________________________________________________________________',
      'Layer (type)                 Output Shape              Param #',
      '=================================================================',
      'conv1 (Conv2D)               (None, 28, 28, 6)         156',
      '_________________________________________________________________',
      'pool1 (MaxPooling2D)         (None, 14, 14, 6)         0',
      '_________________________________________________________________',
      'conv2 (Conv2D)               (None, 10, 10, 16)        2,416',
      '_________________________________________________________________',
      'pool2 (MaxPooling2D)         (None, 5, 5, 16)          0',
      '_________________________________________________________________',
      'flatten (Flatten)            (None, 400)               0',
      '_________________________________________________________________',
      'fc1 (Dense)                  (None, 120)               48,120',
      '_________________________________________________________________',
      'fc2 (Dense)                  (None, 84)                10,164',
      '_________________________________________________________________',
      'fc3 (Dense)                  (None, 10)                850',
      '=================================================================',
      'Total params: 61,706',
      'Trainable params: 61,706',
      'Non-trainable params: 0',
      '_________________________________________________________________',
    ].join('\n');
    const printed: string[] = [];
    const text = lenet5().summary((line) => printed.push(line));
    expect(text).toBe(expected);
    expect(printed).toEqual([expected]);
  });

  it('counts BatchNormalization statistics as non-trainable and widens for long names', () => {
    const m = new Sequential(
      [
        new Dense({ name: 'a_rather_long_dense_layer_name', units: 4, inputShape: [3] }),
        new BatchNormalization({ name: 'bn' }),
      ],
      { name: 'm' },
    );
    const text = m.summary(() => {});
    const lines = text.split('\n');
    // 'a_rather_long_dense_layer_name (Dense)' is 38 characters, so the first column grows to 39
    expect(lines[4]).toBe('a_rather_long_dense_layer_name (Dense) (None, 4)                 16');
    expect(lines[1]).toBe('_'.repeat(39 + 26 + 10));
    expect(lines.slice(-4, -1)).toEqual(['Total params: 32', 'Trainable params: 24', 'Non-trainable params: 8']);
    expect(m.layers.some((l) => l.built)).toBe(false);
  });

  it('needs a known input shape', () => {
    expect(() => new Sequential([new Flatten()], { name: 'u' }).summary()).toThrow(
      "Sequential 'u': summary needs the input shape",
    );
  });
});

describe('misspelled options of Sequential and predict', () => {
  it('are refused with a did-you-mean', () => {
    expect(() => new Sequential([], { nmae: 'm' } as never)).toThrow(
      /Sequential: unknown option 'nmae'; did you mean 'name'\?/,
    );
    const model = new Sequential([new Flatten({ inputShape: [2, 2] })]);
    expect(() => model.predict(zeros([1, 2, 2]), { batch_size: 8 } as never)).toThrow(
      /predict: unknown option 'batch_size'; did you mean 'batchSize'\?/,
    );
  });
});
