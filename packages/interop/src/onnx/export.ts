/**
 * A Sinapse model as an ONNX model (the protobuf bytes of a .onnx file), for ONNX Runtime on servers
 * and GPUs, and for the tools that read ONNX.
 *
 * Note [NHWC outside, NCHW inside]
 * ONNX's Conv, pools, BatchNormalization and LRN take NCHW (channels before the spatial axes); Sinapse
 * is NHWC. The exported graph keeps the user's layout at its edges and ONNX's inside:
 *
 *   input [N, H, W, C] ─ Transpose(0,3,1,2) ─▶ [N, C, H, W] ─ Conv ─ Relu ─ MaxPool ─ … ─┐
 *                                                                                       │
 *   Dense weights [in, out], as trained: in is in NHWC order   ◀─ Flatten ◀─ Transpose(0,2,3,1)
 *
 * Every rank-4 tensor is stored NCHW inside the graph, every other rank as it is in Sinapse; a layer
 * that cares about element order (Flatten, Reshape) or the channel axis (Concatenate, Softmax)
 * transposes back to NHWC, or maps the axis, first. So kernels are transposed once, [kh, kw, in, out] →
 * [out, in, kh, kw], and Dense kernels not at all. A rank-4 output is transposed back to NHWC.
 *
 * Note [TF's 'same' padding in ONNX]
 * 'same' pads a total of max((⌈in/s⌉ − 1)·s + (k − 1)·d + 1 − in, 0) cells, ⌊total/2⌋ before and the rest
 * after: the extra cell of an odd total goes at the bottom / right. ONNX's auto_pad SAME_UPPER does the
 * same, but explicit pads say it without depending on a runtime's reading of auto_pad, so they are
 * computed here from the static input sizes. Average pooling then divides by the cells inside the image
 * (count_include_pad = 0), as Sinapse does; max pooling ignores pads; LpPool counts them as zeros.
 */
import { type Layer, type LayerShape, serializeLayer } from '@sinapse/layers';
import type { GraphLayerConfig, Model, ModelConfig, TensorRef } from '@sinapse/models';
import { ConfigError, checkOptionNames, type Tensor } from '@sinapse/tensor';
import { AttributeType, DataType, ModelProto } from './proto';

/** Options of {@link toOnnx}. */
export interface ToOnnxOptions {
  /** The ONNX opset (operator versions) to write, 13 to 21. Default 17. */
  opset?: number;
}

/** A tensor of the graph being built: its name, its shape in Sinapse's terms, and whether it is stored NCHW. */
interface Value {
  name: string;
  /** The shape Sinapse gives it (batch axis null), e.g. [null, 28, 28, 6]. */
  shape: LayerShape;
  /** Rank-4 tensors are stored NCHW (Note [NHWC outside, NCHW inside]). */
  nchw: boolean;
}

type Attribute = Record<string, unknown>;
type Json = Record<string, unknown>;

const IR_VERSION: Record<number, number> = { 13: 7, 14: 7, 15: 8, 16: 8, 17: 8, 18: 8, 19: 9, 20: 9, 21: 10 };

/**
 * The ONNX bytes of a Sequential or functional model: inputs and outputs NHWC as in Sinapse, batch axis
 * named 'batch', weights as initializers; Dropout is left out (inference), BatchNormalization uses its
 * moving statistics.
 * @throws ConfigError naming the layer for a layer or option this export does not write.
 * @example
 * const bytes = toOnnx(lenet5()); // new ort.InferenceSession.create(bytes) runs it
 */
export function toOnnx(model: Model<Tensor | Tensor[]>, options: ToOnnxOptions = {}): Uint8Array {
  checkOptionNames('toOnnx', options, ['opset']);
  const opset = options.opset ?? 17;
  if (IR_VERSION[opset] === undefined) {
    throw new ConfigError(`toOnnx: opset must be an integer from 13 to 21, but got ${JSON.stringify(opset)}`);
  }
  const g = new GraphBuilder('toOnnx');
  // a model allocates its weights when first asked for them (Note [Shapes before weights] in @sinapse/models)
  const float64 = model.weights.find((p) => p.dtype !== 'float32');
  if (float64 !== undefined) {
    throw new ConfigError(
      `toOnnx: weight ${float64.name} is ${float64.dtype}; the export writes float32 graphs: build the model in float32`,
    );
  }
  const inputShapes = model.inputShapes.length > 0 ? model.inputShapes : model.inputShape ? [model.inputShape] : [];
  if (inputShapes.length === 0) {
    throw new ConfigError(
      `toOnnx: ${model.className} '${model.name}' has no input shape; give its first layer inputShape`,
    );
  }
  const inputNames = model.inputs.length > 0 ? model.inputs.map((t) => t.node.layer.name) : ['input'];
  const inputs = inputShapes.map((shape, i) => {
    const name = g.unique(inputNames[i]!);
    g.inputs.push(valueInfo(name, shape));
    return g.fromPlain({ name, shape, nchw: false });
  });
  const outputs = emitModel(g, model, inputs).map((v) => g.toPlain(v));
  // graph outputs are named after the layers that make them
  const names = model.outputs.length > 0 ? model.outputs.map((t) => t.node.layer.name) : [model.layers.at(-1)!.name];
  outputs.forEach((v, i) => {
    const name = g.unique(`${names[i] ?? 'output'}:output`);
    g.node('Identity', [v.name], {}, name);
    g.outputs.push(valueInfo(name, v.shape));
  });
  const message = ModelProto.fromObject({
    irVersion: IR_VERSION[opset],
    opsetImport: [{ domain: '', version: opset }],
    producerName: 'sinapse',
    producerVersion: '0.0.0',
    graph: { name: model.name, node: g.nodes, initializer: g.initializers, input: g.inputs, output: g.outputs },
  });
  return ModelProto.encode(message).finish();
}

// ---- the graph ---------------------------------------------------------------------------------

class GraphBuilder {
  readonly nodes: Json[] = [];
  readonly initializers: Json[] = [];
  readonly inputs: Json[] = [];
  readonly outputs: Json[] = [];
  private readonly used = new Set<string>();

  constructor(readonly op: string) {}

  /** A tensor name not used yet: `base`, else `base_1`, `base_2`… */
  unique(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  /** Appends a node; returns the name of its (one) output. */
  node(opType: string, inputs: string[], attributes: Record<string, Attribute>, output?: string): string {
    const out = output ?? this.unique(`${opType}`);
    this.nodes.push({
      opType,
      input: inputs,
      output: [out],
      name: out,
      attribute: Object.entries(attributes).map(([name, a]) => ({ name, ...a })),
    });
    return out;
  }

  /** A float32 initializer (a weight); `values` in the order of `dims`. */
  floats(base: string, dims: readonly number[], values: ArrayLike<number>): string {
    const name = this.unique(base);
    const bytes = new Uint8Array(values.length * 4);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
    this.initializers.push({ name, dims: [...dims], dataType: DataType.FLOAT, rawData: bytes });
    return name;
  }

  /** An int64 initializer (pads of Pad, the shape of Reshape). */
  int64s(base: string, values: readonly number[]): string {
    const name = this.unique(base);
    this.initializers.push({ name, dims: [values.length], dataType: DataType.INT64, int64Data: [...values] });
    return name;
  }

  /** A value stored NHWC → NCHW when it is rank 4 (Note [NHWC outside, NCHW inside]). */
  fromPlain(v: Value): Value {
    if (v.shape.length !== 4 || v.nchw) return v;
    return {
      ...v,
      name: this.node('Transpose', [v.name], { perm: ints([0, 3, 1, 2]) }, this.unique(`${v.name}/nchw`)),
      nchw: true,
    };
  }

  /** A value as Sinapse stores it: NCHW → NHWC when needed. */
  toPlain(v: Value): Value {
    if (!v.nchw) return v;
    return {
      ...v,
      name: this.node('Transpose', [v.name], { perm: ints([0, 2, 3, 1]) }, this.unique(`${v.name}/nhwc`)),
      nchw: false,
    };
  }
}

const int = (i: number): Attribute => ({ type: AttributeType.INT, i });
const ints = (v: readonly number[]): Attribute => ({ type: AttributeType.INTS, ints: [...v] });
const float = (f: number): Attribute => ({ type: AttributeType.FLOAT, f });
const str = (s: string): Attribute => ({ type: AttributeType.STRING, s: new TextEncoder().encode(s) });

function valueInfo(name: string, shape: LayerShape): Json {
  return {
    name,
    type: {
      tensorType: {
        elemType: DataType.FLOAT,
        shape: { dim: shape.map((d, i) => (d === null ? { dimParam: i === 0 ? 'batch' : `d${i}` } : { dimValue: d })) },
      },
    },
  };
}

// ---- models --------------------------------------------------------------------------------------

/** A model's outputs for these inputs: a Sequential's layers in turn, a functional model's graph replayed. */
function emitModel(g: GraphBuilder, model: Model<Tensor | Tensor[]>, inputs: Value[]): Value[] {
  if (model.className === 'Sequential') {
    let v = inputs[0]!;
    for (const layer of model.layers) v = emitLayer(g, layer, [v])[0]!;
    return [v];
  }
  const config = model.getConfig() as unknown as ModelConfig;
  if (!Array.isArray(config.layers)) {
    throw new ConfigError(
      `${g.op}: ${model.className} '${model.name}' is subclassed: its call is code, not a graph to write`,
    );
  }
  // replay the calls as Graph.fromConfig does: each as soon as the tensors it takes exist
  const made = new Map<string, Value[][]>();
  config.inputLayers.forEach(([name], i) => {
    made.set(name, [[inputs[i]!]]);
  });
  const at = ([name, node, index]: readonly [string, number, number, ...unknown[]]) => made.get(name)?.[node]?.[index];
  const pending = config.layers.map((l: GraphLayerConfig) => ({ name: l.name, calls: [...l.inboundNodes] }));
  let progress = true;
  while (progress) {
    progress = false;
    for (const p of pending) {
      while (p.calls.length > 0 && p.calls[0]!.every((ref) => at(ref) !== undefined)) {
        const args = p.calls.shift()!.map((ref) => at(ref)!);
        if (!made.has(p.name)) made.set(p.name, []);
        made.get(p.name)!.push(emitLayer(g, model.getLayer(p.name), args));
        progress = true;
      }
    }
  }
  return config.outputLayers.map((ref: TensorRef) => at(ref)!);
}

// ---- layers --------------------------------------------------------------------------------------

/** The nodes of one layer call; returns its outputs. */
function emitLayer(g: GraphBuilder, layer: Layer, args: Value[]): Value[] {
  const c = serializeLayer(layer).config as Json;
  const where = `${g.op}: layer '${layer.name}' (${layer.className})`;
  const x = args[0]!;
  const out = (value: string, v: Value = x, shape?: LayerShape): Value => ({
    name: value,
    shape: shape ?? (layer.computeOutputShape(args.length > 1 ? args.map((a) => a.shape) : x.shape) as LayerShape),
    nchw: v.nchw,
  });
  const name = () => g.unique(layer.name);
  const weights = new Map(layer.weights.map((p) => [p.name.slice(p.name.lastIndexOf('/') + 1), p]));
  switch (layer.className) {
    case 'Sequential':
    case 'Model':
      return emitModel(g, layer as Model<Tensor | Tensor[]>, args);
    case 'InputLayer':
    case 'Dropout':
      return [x];
    case 'Conv2D': {
      const v = g.fromPlain(x);
      const kernel = weights.get('kernel')!;
      const [kh, kw, cin, cout] = kernel.shape as [number, number, number, number];
      const strides = c.strides as [number, number];
      const dilations = c.dilationRate as [number, number];
      const inputs = [
        v.name,
        g.floats(`${layer.name}/kernel`, [cout, cin, kh, kw], toOIHW(kernel.data, kh, kw, cin, cout)),
      ];
      const bias = weights.get('bias');
      if (bias !== undefined) inputs.push(g.floats(`${layer.name}/bias`, [cout], bias.data));
      const y = g.node(
        'Conv',
        inputs,
        {
          kernel_shape: ints([kh, kw]),
          strides: ints(strides),
          dilations: ints(dilations),
          pads: ints(pads(x.shape, [kh, kw], strides, dilations, c.padding as string)),
          group: int(1),
        },
        name(),
      );
      return [activation(g, where, c.activation as string, out(y, v))];
    }
    case 'Dense': {
      const kernel = weights.get('kernel')!;
      const bias = weights.get('bias');
      const w = g.floats(`${layer.name}/kernel`, kernel.shape, kernel.data);
      const b = bias === undefined ? undefined : g.floats(`${layer.name}/bias`, bias.shape, bias.data);
      if (x.shape.length === 2) {
        const y = g.node('Gemm', b === undefined ? [x.name, w] : [x.name, w, b], {}, name());
        return [activation(g, where, c.activation as string, out(y))];
      }
      // on the last axis of a higher-rank input: MatMul (+ Add), in Sinapse's element order
      const plain = g.toPlain(x);
      let y = g.node('MatMul', [plain.name, w], {}, b === undefined ? name() : undefined);
      if (b !== undefined) y = g.node('Add', [y, b], {}, name());
      return [g.fromPlain(activation(g, where, c.activation as string, { ...out(y), nchw: false }))];
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D':
    case 'L2Pooling2D': {
      const v = g.fromPlain(x);
      const k = c.poolSize as [number, number];
      const s = c.strides as [number, number];
      const attributes: Record<string, Attribute> = {
        kernel_shape: ints(k),
        strides: ints(s),
        pads: ints(pads(x.shape, k, s, [1, 1], c.padding as string)),
      };
      if (layer.className === 'AveragePooling2D') attributes.count_include_pad = int(0);
      if (layer.className === 'L2Pooling2D') attributes.p = int(2);
      const op = { MaxPooling2D: 'MaxPool', AveragePooling2D: 'AveragePool', L2Pooling2D: 'LpPool' }[layer.className];
      return [out(g.node(op, [v.name], attributes, name()), v)];
    }
    case 'GlobalMaxPooling2D':
    case 'GlobalAveragePooling2D': {
      const v = g.fromPlain(x);
      const pooled = g.node(
        layer.className === 'GlobalMaxPooling2D' ? 'GlobalMaxPool' : 'GlobalAveragePool',
        [v.name],
        {},
        name(),
      );
      if (c.keepDims === true) return [out(pooled, v)];
      return [{ ...out(g.node('Flatten', [pooled], { axis: int(1) }, g.unique(`${layer.name}/flat`))), nchw: false }];
    }
    case 'BatchNormalization': {
      const rank = x.shape.length;
      const axis = c.axis as number;
      if ((rank !== 4 && rank !== 2) || (axis !== -1 && axis !== rank - 1)) {
        throw new ConfigError(
          `${where}: writes batch normalization over the last axis of rank-2 or rank-4 inputs, but got axis ${axis} of rank ${rank}`,
        );
      }
      const v = g.fromPlain(x);
      const channels = x.shape[rank - 1] as number;
      const get = (w: string, fill: number) => weights.get(w)?.data ?? new Float32Array(channels).fill(fill);
      const inputs = [
        v.name,
        g.floats(`${layer.name}/gamma`, [channels], get('gamma', 1)),
        g.floats(`${layer.name}/beta`, [channels], get('beta', 0)),
        g.floats(`${layer.name}/moving_mean`, [channels], get('moving_mean', 0)),
        g.floats(`${layer.name}/moving_variance`, [channels], get('moving_variance', 1)),
      ];
      return [out(g.node('BatchNormalization', inputs, { epsilon: float(c.epsilon as number) }, name()), v)];
    }
    case 'LocalResponseNormalization': {
      // ONNX divides alpha by the window size (2r + 1); Sinapse and TF multiply the plain sum by alpha
      const v = g.fromPlain(x);
      const size = 2 * (c.depthRadius as number) + 1;
      const attributes = {
        size: int(size),
        alpha: float((c.alpha as number) * size),
        beta: float(c.beta as number),
        bias: float(c.bias as number),
      };
      return [out(g.node('LRN', [v.name], attributes, name()), v)];
    }
    case 'ZeroPadding2D': {
      const v = g.fromPlain(x);
      const [[t, b], [l, r]] = c.padding as [[number, number], [number, number]];
      const padsName = g.int64s(`${layer.name}/pads`, [0, 0, t, l, 0, 0, b, r]);
      return [out(g.node('Pad', [v.name, padsName], { mode: str('constant') }, name()), v)];
    }
    case 'Activation':
      return [activation(g, where, c.activation as string, x, name())];
    case 'ReLU': {
      const { maxValue, negativeSlope, threshold } = c as {
        maxValue: number | null;
        negativeSlope: number;
        threshold: number;
      };
      if (threshold === 0 && negativeSlope === 0 && maxValue === null)
        return [out(g.node('Relu', [x.name], {}, name()))];
      if (threshold === 0 && negativeSlope === 0) {
        const lo = g.floats(`${layer.name}/min`, [], [0]);
        const hi = g.floats(`${layer.name}/max`, [], [maxValue!]);
        return [out(g.node('Clip', [x.name, lo, hi], {}, name()))];
      }
      if (threshold === 0 && maxValue === null)
        return [out(g.node('LeakyRelu', [x.name], { alpha: float(negativeSlope) }, name()))];
      throw new ConfigError(
        `${where}: writes a ReLU with a max value or a negative slope, not threshold ${threshold} with them`,
      );
    }
    case 'Flatten': {
      if (x.shape.length <= 2) return [x];
      const plain = g.toPlain(x); // Sinapse flattens NHWC order: the Dense after it keeps its weights
      return [{ ...out(g.node('Flatten', [plain.name], { axis: int(1) }, name())), nchw: false }];
    }
    case 'Reshape': {
      const plain = g.toPlain(x);
      const target = c.targetShape as number[];
      const shape = g.int64s(`${layer.name}/shape`, [0, ...target]);
      const y: Value = { ...out(g.node('Reshape', [plain.name, shape], {}, name())), nchw: false };
      return [g.fromPlain(y)];
    }
    case 'Add':
    case 'Subtract':
    case 'Multiply':
    case 'Average':
    case 'Maximum':
    case 'Minimum': {
      if (args.some((a) => a.nchw !== x.nchw))
        throw new ConfigError(`${where}: writes merges of inputs of one rank only`);
      const names = args.map((a) => a.name);
      if (layer.className === 'Multiply' && names.length > 2) {
        let acc = names[0]!;
        for (const n of names.slice(1)) acc = g.node('Mul', [acc, n], {});
        return [out(g.node('Identity', [acc], {}, name()))];
      }
      const op = {
        Add: names.length > 2 ? 'Sum' : 'Add',
        Subtract: 'Sub',
        Multiply: 'Mul',
        Average: 'Mean',
        Maximum: 'Max',
        Minimum: 'Min',
      }[layer.className];
      return [out(g.node(op, names, {}, name()))];
    }
    case 'Concatenate': {
      if (args.some((a) => a.nchw !== x.nchw))
        throw new ConfigError(`${where}: writes concatenations of inputs of one rank only`);
      const rank = x.shape.length;
      const a = (c.axis as number) < 0 ? (c.axis as number) + rank : (c.axis as number);
      const axis = x.nchw ? [0, 2, 3, 1][a]! : a;
      return [
        out(
          g.node(
            'Concat',
            args.map((v) => v.name),
            { axis: int(axis) },
            name(),
          ),
        ),
      ];
    }
    default:
      throw new ConfigError(
        `${where}: no ONNX form for ${layer.className}; toOnnx writes Conv2D, Dense, the poolings, BatchNormalization, ` +
          'LocalResponseNormalization, Dropout, Flatten, Reshape, ZeroPadding2D, Activation, ReLU, the merge layers and nested models',
      );
  }
}

/** An activation by name, after the value (none for linear). Softmax runs over the channel axis. */
function activation(g: GraphBuilder, where: string, name: string, v: Value, output?: string): Value {
  const as = (op: string, attributes: Record<string, Attribute> = {}) => ({
    ...v,
    name: g.node(op, [v.name], attributes, output ?? g.unique(`${v.name}/${op}`)),
  });
  switch (name) {
    case 'linear':
      return output === undefined ? v : as('Identity');
    case 'relu':
      return as('Relu');
    case 'sigmoid':
      return as('Sigmoid');
    case 'tanh':
      return as('Tanh');
    case 'elu':
      return as('Elu', { alpha: float(1) });
    case 'leakyRelu':
      return as('LeakyRelu', { alpha: float(0.2) });
    case 'softmax':
      return as('Softmax', { axis: int(v.nchw ? 1 : -1) });
    default:
      throw new ConfigError(`${where}: activation '${name}' has no ONNX form here`);
  }
}

/** [top, left, bottom, right] for 'valid' (none) or 'same' (Note [TF's 'same' padding in ONNX]). */
function pads(
  shape: LayerShape,
  kernel: readonly [number, number],
  strides: readonly [number, number],
  dilations: readonly [number, number],
  padding: string,
): number[] {
  if (padding !== 'same') return [0, 0, 0, 0];
  const total = [1, 2].map((axis, i) => {
    const size = shape[axis] as number;
    const outSize = Math.ceil(size / strides[i]!);
    return Math.max((outSize - 1) * strides[i]! + (kernel[i]! - 1) * dilations[i]! + 1 - size, 0);
  });
  return [
    Math.floor(total[0]! / 2),
    Math.floor(total[1]! / 2),
    total[0]! - Math.floor(total[0]! / 2),
    total[1]! - Math.floor(total[1]! / 2),
  ];
}

/** A Keras kernel [kh, kw, in, out] as ONNX's [out, in, kh, kw]. */
function toOIHW(data: ArrayLike<number>, kh: number, kw: number, cin: number, cout: number): Float32Array {
  const outData = new Float32Array(data.length);
  for (let o = 0; o < cout; o++) {
    for (let i = 0; i < cin; i++) {
      for (let y = 0; y < kh; y++) {
        for (let x = 0; x < kw; x++)
          outData[((o * cin + i) * kh + y) * kw + x] = data[((y * kw + x) * cin + i) * cout + o]!;
      }
    }
  }
  return outData;
}
