import { BatchNormalization, Dropout, LocalResponseNormalization } from '@sinapse/layers';
import { ConfigError, randn, ShapeError, seed } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { alexnet, alexnetMini } from './alexnet';
import { lenet5 } from './lenet5';
import { vgg } from './vgg';

describe('parameter counts with the defaults (nothing allocated)', () => {
  // Totals from the issue; they agree with Keras's VGG16/VGG19 (138,357,544 / 143,667,240) and torchvision's vgg11/13.
  it.each([
    ['lenet5', () => lenet5(), 61_706],
    ['alexnet', () => alexnet(), 62_378_344],
    ['vgg11', () => vgg({ depth: 11 }), 132_863_336],
    ['vgg13', () => vgg({ depth: 13 }), 133_047_848],
    ['vgg16', () => vgg({ depth: 16 }), 138_357_544],
    ['vgg19', () => vgg({ depth: 19 }), 143_667_240],
  ])('%s has %i parameters', (_name, build, count) => {
    const model = build();
    expect(model.countParams()).toBe(count);
    // summary reads shapes only: no layer was built, so no weight exists (VGG-19 would need 575 MB)
    expect(model.summary(() => {})).toContain(`Total params: ${count.toLocaleString('en-US')}`);
    expect(model.layers.some((l) => l.built)).toBe(false);
  });

  it('lenet5 per-layer counts: conv 5·5·1·6+6, 5·5·6·16+16, dense 400·120+120, 120·84+84, 84·10+10', () => {
    const m = lenet5();
    const counts = m
      .summary(() => {})
      .match(/\d[\d,]*$/gm)!
      .slice(0, 8);
    expect(counts).toEqual(['156', '0', '2,416', '0', '0', '48,120', '10,164', '850']);
  });

  it('alexnet has the paper shapes: 55, 27, 13, 6 and 9216 flattened features', () => {
    const m = alexnet();
    expect(m.outputShape).toEqual([null, 1000]);
    const text = m.summary(() => {});
    for (const shape of [
      '(None, 55, 55, 96)',
      '(None, 27, 27, 96)',
      '(None, 13, 13, 384)',
      '(None, 6, 6, 256)',
      '(None, 9216)',
    ]) {
      expect(text).toContain(shape);
    }
  });

  it('vgg16 pools 224 down to 7: flatten has 7·7·512 = 25088 features', () => {
    expect(vgg({ depth: 16 }).getLayer('flatten').computeOutputShape([null, 7, 7, 512])).toEqual([null, 25088]);
    expect(vgg({ depth: 16 }).summary(() => {})).toContain('flatten (Flatten)            (None, 25088)');
  });
});

describe('options', () => {
  it('lenet5 numClasses and activation', () => {
    const m = lenet5({ numClasses: 3, activation: 'tanh', inputShape: [32, 32, 1] });
    expect(m.outputShape).toEqual([null, 3]);
    // 32 'same' → 32, pool 16, conv 12, pool 6: fc1 sees 6·6·16 = 576 features
    expect(m.getLayer('fc1').countParams([null, 576])).toBe(576 * 120 + 120);
    expect(m.getConfig().layers[0]!.config.activation).toBe('tanh');
  });

  it('alexnet without LRN and dropout has no such layers, same parameter count', () => {
    const m = alexnet({ lrn: false, dropout: 0 });
    expect(m.layers.some((l) => l instanceof LocalResponseNormalization || l instanceof Dropout)).toBe(false);
    expect(m.countParams()).toBe(62_378_344);
    expect(alexnet().layers.filter((l) => l instanceof LocalResponseNormalization)).toHaveLength(2);
  });

  it('vgg widthMultiplier rounds filters and keeps at least 1', () => {
    const names = (m: ReturnType<typeof vgg>) =>
      m
        .getConfig()
        .layers.filter((l) => l.className === 'Conv2D')
        .map((l) => l.config.filters);
    expect(names(vgg({ depth: 11, widthMultiplier: 0.125 }))).toEqual([8, 16, 32, 32, 64, 64, 64, 64]);
    expect(names(vgg({ depth: 11, widthMultiplier: 0.001 }))).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it('vgg batchNorm puts BatchNormalization between each conv and its ReLU', () => {
    const m = vgg({ depth: 11, batchNorm: true, widthMultiplier: 0.125, fcUnits: 16, inputShape: [32, 32, 3] });
    const kinds = m.layers.slice(0, 4).map((l) => l.className);
    expect(kinds).toEqual(['Conv2D', 'BatchNormalization', 'ReLU', 'MaxPooling2D']);
    expect(m.layers.filter((l) => l instanceof BatchNormalization)).toHaveLength(8);
    expect(m.summary(() => {})).toMatch(/Non-trainable params: [1-9]/);
  });

  it('rejects bad options with the builder name', () => {
    expect(() => vgg({ depth: 12 as never })).toThrow(
      new ConfigError('vgg: depth must be 11, 13, 16 or 19, but got 12'),
    );
    expect(() => vgg({ depth: 11, widthMultiplier: 0 })).toThrow(
      'vgg: widthMultiplier must be a positive number, but got 0',
    );
    expect(() => vgg({ depth: 11, fcUnits: 1.5 })).toThrow('vgg: fcUnits must be a positive integer, but got 1.5');
    expect(() => lenet5({ numClasses: 0 })).toThrow('lenet5: numClasses must be a positive integer, but got 0');
    expect(() => alexnet({ dropout: 1 })).toThrow('alexnet: dropout must be a rate in [0, 1), but got 1');
  });

  it('alexnet refuses MNIST-sized input at build time and points at the pool that runs out', () => {
    expect(() => alexnet({ inputShape: [28, 28, 1] })).toThrow(ShapeError);
    expect(() => alexnet({ inputShape: [28, 28, 1] })).toThrow(
      /layer 'pool2' \(MaxPooling2D\) cannot take the output of 'norm2'/,
    );
  });
});

describe('small variants run on MNIST-sized images', () => {
  it('lenet5 on [2, 28, 28, 1] gives [2, 10]', () => {
    seed(0);
    expect(lenet5().predict(randn([2, 28, 28, 1])).shape).toEqual([2, 10]);
  });

  it('alexnetMini: 28 → 13 → 6 → 2, 380,042 parameters, [2, 10] out', () => {
    seed(0);
    const m = alexnetMini();
    // conv 5·5·1·32+32 + 5·5·32·64+64 + 3·3·64·96+96 + 3·3·96·96+96 + 3·3·96·64+64, dense 256·256+256 twice, 256·10+10
    expect(m.countParams()).toBe(832 + 51_264 + 55_392 + 83_040 + 55_360 + 65_792 * 2 + 2_570);
    expect(m.summary(() => {})).toContain('(None, 2, 2, 64)');
    expect(m.predict(randn([2, 28, 28, 1])).shape).toEqual([2, 10]);
  });

  it('vgg-11 at width 1/8 on 28x28: the same-padded pools give 14, 7, 4, 2, 1', () => {
    seed(0);
    const m = vgg({ depth: 11, widthMultiplier: 0.125, fcUnits: 128, inputShape: [28, 28, 1], numClasses: 10 });
    const text = m.summary(() => {});
    for (const s of [
      '(None, 14, 14, 8)',
      '(None, 7, 7, 16)',
      '(None, 4, 4, 32)',
      '(None, 2, 2, 64)',
      '(None, 1, 1, 64)',
    ]) {
      expect(text).toContain(s);
    }
    expect(m.predict(randn([2, 28, 28, 1])).shape).toEqual([2, 10]);
  });
});

describe('builder options', () => {
  it('vgg() with no argument: depth is required', () => {
    expect(() => (vgg as (o?: unknown) => unknown)()).toThrow(ConfigError);
    expect(() => (vgg as (o?: unknown) => unknown)()).toThrow(
      'vgg: depth is required: 11, 13, 16 or 19, e.g. vgg({ depth: 16 })',
    );
    expect(() => vgg({} as never)).toThrow('vgg: depth is required');
  });

  it("lenet5({ inputshape }) is refused: did you mean 'inputShape'?", () => {
    expect(() => lenet5({ inputshape: [32, 32, 1] } as never)).toThrow(
      "lenet5: unknown option 'inputshape'; did you mean 'inputShape'? Known options: inputShape, numClasses, activation",
    );
  });

  it("alexnet({ classes }) and vgg({ num_classes }) suggest 'numClasses'", () => {
    expect(() => alexnet({ classes: 10 } as never)).toThrow(
      "alexnet: unknown option 'classes'; did you mean 'numClasses'?",
    );
    expect(() => alexnetMini({ num_classes: 10 } as never)).toThrow(
      "alexnetMini: unknown option 'num_classes'; did you mean 'numClasses'?",
    );
    expect(() => vgg({ depth: 11, num_classes: 10 } as never)).toThrow(
      "vgg: unknown option 'num_classes'; did you mean 'numClasses'?",
    );
  });
});
