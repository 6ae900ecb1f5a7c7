/**
 * Layer configs as untrusted input: a model.json can be edited or damaged, and every field it
 * feeds to deserializeLayer (class names, initializers, regularizers, sizes) must fail with a
 * ConfigError naming the layer and the field, never a TypeError from deep inside.
 */
import { ConfigError } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import './index';
import { Dense } from './core/Dense';
import { getInitializer } from './initializers';
import { deserializeLayer, serializeLayer } from './registry';
import { deserializeRegularizer, getRegularizer } from './regularizers';
import { MAX_DIM } from './util/args';

/** A Dense layer's config with one field replaced. */
function denseWith(field: string, value: unknown) {
  const s = serializeLayer(new Dense({ units: 3, name: 'fc1' }));
  return { className: 'Dense', config: { ...s.config, [field]: value } };
}

function expectConfigError(f: () => unknown, message: RegExp): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ConfigError);
  expect((err as Error).message).toMatch(message);
}

describe('initializer configs', () => {
  // the crash issue 16 reported: a className that is not a string reached className.charAt
  it.each([
    ['className deleted', { config: {} }, /Dense 'fc1': kernelInitializer: a serialized initializer needs a className/],
    ['className a number', { className: 7, config: {} }, /kernelInitializer: .*needs a className.*got 7/],
    ['className unknown', { className: 'Twos', config: {} }, /kernelInitializer: unknown initializer class 'Twos'/],
    ['className lower case', { className: 'glorotUniform', config: {} }, /unknown initializer class 'glorotUniform'/],
    // found by the fuzzer (tests/fuzz fixtures bcd7102e57d31500, 345ad85ca7c9a0a5): Object's own keys
    ['className constructor', { className: 'constructor', config: {} }, /unknown initializer class 'constructor'/],
    ['className Constructor', { className: 'Constructor', config: {} }, /unknown initializer class 'Constructor'/],
    ['className __proto__', { className: '__proto__', config: {} }, /unknown initializer class '__proto__'/],
    ['className toString', { className: 'ToString', config: {} }, /unknown initializer class 'ToString'/],
    ['config null', { className: 'Constant', config: null }, /config of initializer Constant must be an object/],
    ['value a string', { className: 'Constant', config: { value: 'x' } }, /Constant's value must be a finite number/],
    ['stddev NaN (null in JSON)', { className: 'RandomNormal', config: { stddev: null } }, /stddev must be a finite/],
    ['stddev negative', { className: 'RandomNormal', config: { stddev: -1 } }, /stddev must be ≥ 0/],
    ['a number', 3, /kernelInitializer must be an initializer's name/],
    ['an array', [], /kernelInitializer must be an initializer's name/],
  ])('%s', (_, value, message) => {
    expectConfigError(() => deserializeLayer(denseWith('kernelInitializer', value)), message);
  });

  it("a name that is one of Object's keys ('constructor', 'toString')", () => {
    expectConfigError(
      () => deserializeLayer(denseWith('kernelInitializer', 'constructor')),
      /unknown initializer 'constructor'/,
    );
    expectConfigError(
      () => deserializeLayer(denseWith('biasInitializer', 'hasOwnProperty')),
      /unknown initializer 'hasOwnProperty'/,
    );
  });

  it('a valid serialized form still loads', () => {
    const init = getInitializer('t', { className: 'Constant', config: { value: 0.5 } });
    expect([...init.init([2], 'float32')]).toEqual([0.5, 0.5]);
    expect(getInitializer('t', { className: 'HeNormal', config: {} }).className).toBe('HeNormal');
  });
});

describe('regularizer configs', () => {
  it.each([
    [
      'class unknown',
      { className: 'L3', config: {} },
      /Dense 'fc1': kernelRegularizer: unknown regularizer class "L3"/,
    ],
    ['className missing', { config: { l2: 1 } }, /kernelRegularizer: unknown regularizer class none/],
    ['config null', { className: 'L2', config: null }, /config of regularizer L2 must be an object/],
    ['factor a string', { className: 'L2', config: { l2: '0.1' } }, /L2's l2 must be a finite non-negative number/],
    ['factor negative', { className: 'L1', config: { l1: -1 } }, /L1's l1 must be a finite non-negative number/],
    ['a string', 'l2', /kernelRegularizer: a regularizer must be l1\(...\), l2\(...\)/],
  ])('%s', (_, value, message) => {
    expectConfigError(() => deserializeLayer(denseWith('kernelRegularizer', value)), message);
  });

  it('null is no regularizer; a valid form loads', () => {
    expect(getRegularizer(null)).toBeNull();
    expect(deserializeRegularizer({ className: 'L2', config: { l2: 0.5 } }).getConfig()).toEqual({ l2: 0.5 });
  });
});

describe('deserializeLayer', () => {
  it.each([
    ['null', null, /where: a serialized layer must be \{ className, config \}, but got null/],
    ['an array', [1], /where: a serialized layer must be/],
    [
      'className missing',
      { config: { name: 'a' } },
      /where \('a'\): className must be a layer class name, but got undefined/,
    ],
    ['class unknown', { className: 'Dens', config: { name: 'a' } }, /where \('a'\): unknown layer class 'Dens'/],
    ['config null', { className: 'Dense', config: null }, /where: the config of Dense must be an object, but got null/],
    ['config missing', { className: 'Flatten' }, /where: the config of Flatten must be an object, but got undefined/],
    ['config a string', { className: 'Dense', config: 'units' }, /where: the config of Dense must be an object/],
  ])('%s', (_, value, message) => {
    expectConfigError(() => deserializeLayer(value as never, 'where'), message);
  });
});

describe('sizes in configs are capped', () => {
  it.each([
    ['units 2^31', 'units', 2 ** 31, /Dense 'fc1': units must be a positive integer ≤ 2147483647, but got 2147483648/],
    ['units 1e300', 'units', 1e300, /units must be a positive integer ≤ 2147483647/],
    ['units a string', 'units', '3', /units must be a positive integer, but got "3"/],
    ['units null (NaN in JSON)', 'units', null, /units must be a positive integer, but got null/],
    ['inputShape huge', 'inputShape', [2 ** 40], /inputShape must be positive integers ≤ 2147483647/],
    ['inputShape a string', 'inputShape', 'abc', /inputShape must be positive integers/],
  ])('Dense %s', (_, field, value, message) => {
    expectConfigError(() => deserializeLayer(denseWith(field, value)), message);
  });

  it.each([
    ['kernelSize', 2 ** 31, /Conv2D 'c': kernelSize must be positive integers ≤ 2147483647, but got/],
    ['strides', [1, 1e20], /Conv2D 'c': strides must be positive integers ≤ 2147483647/],
    ['filters', -1, /Conv2D 'c': filters must be a positive integer, but got -1/],
    ['kernelSize', ['3', 3], /Conv2D 'c': kernelSize must be positive integers, but got \["3", 3\]/],
  ])('Conv2D %s %j', (field, value, message) => {
    const config = { name: 'c', filters: 2, kernelSize: 3, [field]: value };
    expectConfigError(() => deserializeLayer({ className: 'Conv2D', config }), message);
  });

  it('MAX_DIM itself is accepted (the check is on the option, allocation checks the weight)', () => {
    expect(new Dense({ units: MAX_DIM }).units).toBe(MAX_DIM);
  });
});

describe('booleans in configs are booleans', () => {
  it.each([
    ['Dense', { units: 3, useBias: 'yes' }, /Dense 'b': useBias must be true or false, but got "yes"/],
    ['Dense', { units: 3, trainable: 1 }, /Dense 'b': trainable must be true or false, but got 1/],
    ['BatchNormalization', { center: 'no' }, /BatchNormalization 'b': center must be true or false, but got "no"/],
    ['LayerNormalization', { scale: null }, /LayerNormalization 'b': scale must be true or false, but got null/],
    ['DepthwiseConv2D', { kernelSize: 3, useBias: 0 }, /DepthwiseConv2D 'b': useBias must be true or false, but got 0/],
  ])('%s %j', (className, config, message) => {
    expectConfigError(() => deserializeLayer({ className, config: { name: 'b', ...config } }), message);
  });
});
