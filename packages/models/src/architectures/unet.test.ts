import { Concatenate, type Layer } from '@sinapse/layers';
import { ConfigError, randn, seed } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { fromArtifacts } from '../fromArtifacts';
import { Model } from '../Model';
import { unet } from './unet';

const shapeOf = (m: Model, name: string) => m.getLayer(name).inboundNodes[0]!.outputs[0]!.shape;

/** The parameter count by the formula in unet.ts's comment. */
function expectedParams(channels: number, classes: number, depth: number, f: number): number {
  const conv = (k: number, inC: number, outC: number) => k * k * inC * outC + outC;
  let n = 0;
  let inC = channels;
  for (let i = 0; i <= depth; i++) {
    const fi = f * 2 ** i;
    n += conv(3, inC, fi) + conv(3, fi, fi);
    inC = fi;
  }
  for (let i = depth - 1; i >= 0; i--) {
    const fi = f * 2 ** i;
    n += conv(2, 2 * fi, fi) + conv(3, 2 * fi, fi) + conv(3, fi, fi);
  }
  return n + conv(1, f, classes);
}

describe('unet', () => {
  it("the paper's net (depth 4, 64 filters, 2 classes): 31,030,658 parameters, nothing allocated", () => {
    const m = unet();
    expect(m.countParams()).toBe(expectedParams(1, 2, 4, 64));
    expect(m.countParams()).toBe(31_030_658);
    expect(m.layers.some((l) => l.built)).toBe(false);
    expect(m.outputShape).toEqual([null, 576, 576, 2]);
    expect(shapeOf(m, 'bottom_conv2')).toEqual([null, 36, 36, 1024]);
    expect(shapeOf(m, 'dec1_concat')).toEqual([null, 576, 576, 128]);
    expect(m.layers.filter((l: Layer) => l instanceof Concatenate)).toHaveLength(4);
  });

  it.each([
    [[28, 28, 1], 1, 2, 8],
    [[32, 48, 3], 4, 3, 4],
  ] as const)(
    'inputShape %j, classes %d, depth %d, filters %d: the formula and a forward pass',
    (shape, classes, depth, filters) => {
      seed(1);
      const m = unet({ inputShape: [...shape], classes, depth, filters });
      expect(m.countParams()).toBe(expectedParams(shape[2], classes, depth, filters));
      const y = m.predict(randn([2, ...shape]));
      expect(y.shape).toEqual([2, shape[0], shape[1], classes]);
    },
  );

  it('config and save/load round trips', () => {
    seed(2);
    const m = unet({ inputShape: [16, 16, 1], depth: 2, filters: 4, classes: 1, outputActivation: 'sigmoid' });
    const again = Model.fromConfig(JSON.parse(JSON.stringify(m.getConfig())));
    expect(again.getConfig()).toEqual(m.getConfig());
    const x = randn([1, 16, 16, 1]);
    const y = m.predict(x);
    expect(Array.from(fromArtifacts(m.toArtifacts()).predict(x).data)).toEqual(Array.from(y.data));
  });

  it('rejects sizes not divisible by 2^depth and bad options', () => {
    expect(() => unet({ inputShape: [28, 28, 1] })).toThrow(
      'unet: height and width must be divisible by 2^depth = 16 (each level halves them), but got inputShape [28, 28, 1] with depth 4',
    );
    expect(() => unet({ num_classes: 3 } as never)).toThrow(ConfigError);
    expect(() => unet({ outputActivation: 'relu' as never })).toThrow(/outputActivation must be one of/);
  });
});
