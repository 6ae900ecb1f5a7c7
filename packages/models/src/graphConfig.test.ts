/**
 * A functional model's saved graph as untrusted input: every malformed field of layers,
 * inboundNodes, inputLayers and outputLayers is a ConfigError naming the field, and a graph whose
 * calls cannot be replayed (an unknown layer, a bad index, a cycle) says which and why.
 */
import { Add, BatchNormalization, Dense, input } from '@sinapse/layers';
import { ConfigError } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { Model, model } from './Model';

type Json = {
  layers: { name: string; className: string; config: unknown; inboundNodes: unknown[][] }[];
  inputLayers: unknown[];
  outputLayers: unknown[];
};

/** x → a → bn → sum(bn, b(x)): a small graph with a merge, as JSON to edit. */
function config(): Json {
  const x = input({ shape: [4], name: 'x' });
  const a = new Dense({ name: 'a', units: 3 }).apply(x);
  const n = new BatchNormalization({ name: 'bn' }).apply(a);
  const y = new Add({ name: 'sum' }).apply([n, new Dense({ name: 'b', units: 3 }).apply(x)]);
  return JSON.parse(JSON.stringify(model({ inputs: x, outputs: y, name: 'g' }).getConfig()));
}

const layer = (c: Json, name: string) => c.layers.find((l) => l.name === name)!;

function expectConfigError(edit: (c: Json) => void, message: RegExp): void {
  const c = config();
  edit(c);
  let err: unknown;
  try {
    Model.fromConfig(c as never);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ConfigError);
  expect((err as Error).message).toMatch(message);
}

describe('functional configs: malformed fields', () => {
  it('the unedited config loads', () => {
    expect(Model.fromConfig(config() as never).layers.map((l) => l.name)).toEqual(['x', 'a', 'bn', 'b', 'sum']);
  });

  it.each<[string, (c: Json) => void, RegExp]>([
    ['a layer entry is null', (c) => void (c.layers[1] = null as never), /layers\[1\] must be \{ className, name/],
    [
      'a name deleted',
      (c) => void delete (c.layers[1] as Partial<Json['layers'][0]>).name,
      /layers\[1\]: name must be/,
    ],
    ['className a number', (c) => void (layer(c, 'a').className = 3 as never), /layers\[1\] \('a'\): className must/],
    ['config a string', (c) => void (layer(c, 'a').config = 'x'), /layers\[1\] \('a'\): config must be an object/],
    ['inboundNodes a number', (c) => void (layer(c, 'a').inboundNodes = 1 as never), /\('a'\): inboundNodes must be/],
    [
      'a call empty',
      (c) => void (layer(c, 'sum').inboundNodes[0] = []),
      /\('sum'\): inboundNodes\[0\] must be a non-empty/,
    ],
    [
      'a ref null',
      (c) => void (layer(c, 'sum').inboundNodes[0]![1] = null),
      /inboundNodes\[0\]\[1\] must be \[layer name/,
    ],
    [
      'a node index -1',
      (c) => void ((layer(c, 'a').inboundNodes[0]![0] as unknown[])[1] = -1),
      /inboundNodes\[0\]\[0\] must be/,
    ],
    [
      'a tensor index 0.5',
      (c) => void ((layer(c, 'a').inboundNodes[0]![0] as unknown[])[2] = 0.5),
      /must be \[layer name/,
    ],
    [
      'options a string',
      (c) => void ((layer(c, 'a').inboundNodes[0]![0] as unknown[])[3] = 'x'),
      /must be \[layer name/,
    ],
    ['inputLayers empty', (c) => void (c.inputLayers = []), /inputLayers must list at least one tensor/],
    [
      'outputLayers a ref too short',
      (c) => void (c.outputLayers = [['sum', 0]]),
      /outputLayers\[0\] must be \[layer name, node/,
    ],
    [
      'outputLayers missing',
      (c) => void delete (c as Partial<Json>).outputLayers,
      /needs layers, inputLayers and outputLayers/,
    ],
  ])('%s', (_, edit, message) => {
    expectConfigError(edit, message);
  });
});

describe('functional configs: calls that cannot be replayed', () => {
  it('a ref to a layer the config lacks', () => {
    expectConfigError(
      (c) => void ((layer(c, 'sum').inboundNodes[0]![1] as unknown[])[0] = 'ghost'),
      /layer 'sum' takes ghost\[0\]\[0\], which is not a layer of the config/,
    );
  });

  it('a node index past the calls', () => {
    expectConfigError(
      (c) => void ((layer(c, 'bn').inboundNodes[0]![0] as unknown[])[1] = 3),
      /layer 'bn' takes a\[3\]\[0\], but 'a' has 1 call \(indices from 0\)/,
    );
  });

  it('a tensor index past the outputs', () => {
    expectConfigError(
      (c) => void ((layer(c, 'bn').inboundNodes[0]![0] as unknown[])[2] = 2),
      /layer 'bn' takes a\[0\]\[2\], but that call of 'a' has 1 output \(indices from 0\)/,
    );
  });

  it('a cycle: a takes bn, bn takes a', () => {
    expectConfigError(
      (c) => void ((layer(c, 'a').inboundNodes[0]![0] as unknown[])[0] = 'bn'),
      /which is never made: the calls wait on each other in a cycle \('(a' → 'bn' → 'a|bn' → 'a' → 'bn)'\)/,
    );
  });

  it('an output naming a call that does not exist', () => {
    expectConfigError(
      (c) => void (c.outputLayers = [['sum', 1, 0]]),
      /outputLayers names sum\[1\]\[0\], which does not exist/,
    );
  });
});

describe('functional configs: deep graphs', () => {
  // the walk from the outputs was recursive: a chain of 20,000 layers (a 7 MB model.json) threw
  // RangeError: Maximum call stack size exceeded
  it('a chain of 20,000 layers loads', () => {
    const c = config();
    const relu = { className: 'ReLU', config: {}, inboundNodes: [] as unknown[][] };
    c.layers = [c.layers[0]!];
    for (let i = 0; i < 20_000; i++) {
      c.layers.push({ ...relu, name: `r${i}`, inboundNodes: [[[i === 0 ? 'x' : `r${i - 1}`, 0, 0, {}]]] });
    }
    c.outputLayers = [['r19999', 0, 0]];
    expect(Model.fromConfig(c as never).layers).toHaveLength(20_001);
  });
});
