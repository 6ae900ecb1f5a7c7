/**
 * Keras's positional constructor arguments: `Dense(10)`, `Conv2D(32, 3)`, `MaxPooling2D(2)`,
 * `Dropout(0.5)`, `Activation('relu')`, `Reshape([7, 7, 1])` build the same layer as the options
 * form (the same config). `new Dense(10)` used to fail with "units ... got undefined".
 */
import { describe, expect, it } from 'vitest';
import { Conv2D } from './convolutional/Conv2D';
import { Activation } from './core/Activation';
import { Dense } from './core/Dense';
import { Dropout } from './core/Dropout';
import { Reshape } from './core/Reshape';
import type { Layer } from './Layer';
import { AveragePooling2D } from './pooling/AveragePooling2D';
import { MaxPooling2D } from './pooling/MaxPooling2D';

const sameConfig = (a: Layer, b: Layer): void => {
  const { name: _a, ...configA } = a.getConfig();
  const { name: _b, ...configB } = b.getConfig();
  expect(configA).toEqual(configB);
};

describe('positional arguments, as Keras takes them', () => {
  it.each([
    ['Dense(10)', () => new Dense(10), () => new Dense({ units: 10 })],
    [
      "Dense(10, { activation: 'relu' })",
      () => new Dense(10, { activation: 'relu' }),
      () => new Dense({ units: 10, activation: 'relu' }),
    ],
    ['Conv2D(32, 3)', () => new Conv2D(32, 3), () => new Conv2D({ filters: 32, kernelSize: 3 })],
    [
      "Conv2D(8, [3, 5], { padding: 'same' })",
      () => new Conv2D(8, [3, 5], { padding: 'same' }),
      () => new Conv2D({ filters: 8, kernelSize: [3, 5], padding: 'same' }),
    ],
    ['MaxPooling2D(2)', () => new MaxPooling2D(2), () => new MaxPooling2D({ poolSize: 2 })],
    [
      'AveragePooling2D([3, 3], { strides: 2 })',
      () => new AveragePooling2D([3, 3], { strides: 2 }),
      () => new AveragePooling2D({ poolSize: [3, 3], strides: 2 }),
    ],
    ['Dropout(0.5)', () => new Dropout(0.5), () => new Dropout({ rate: 0.5 })],
    ["Activation('relu')", () => new Activation('relu'), () => new Activation({ activation: 'relu' })],
    ['Reshape([7, 7, 1])', () => new Reshape([7, 7, 1]), () => new Reshape({ targetShape: [7, 7, 1] })],
  ])('%s', (_title, positional, named) => {
    sameConfig(positional(), named());
  });

  it('an option given both ways is refused, naming both values', () => {
    expect(() => new Dense(10, { units: 5 } as never)).toThrow(
      'Dense: units is given twice, 10 as an argument and 5 in the options',
    );
  });

  it('the positional value is checked like the named one', () => {
    expect(() => new Dense(0)).toThrow('units must be a positive integer, but got 0');
    expect(() => new Conv2D(4, 0)).toThrow('kernelSize must be positive integers, but got 0');
  });
});
