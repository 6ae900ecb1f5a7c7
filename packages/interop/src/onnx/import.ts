/**
 * An ONNX model (a .onnx file's bytes) as a Sinapse functional model: what toOnnx writes, and CNNs
 * exported by PyTorch (`torch.onnx.export`, NCHW), which then run and fine-tune in Sinapse.
 *
 * Note [NCHW graphs in an NHWC library]
 * A PyTorch graph takes [N, C, H, W]; the Sinapse model built from it takes [N, H, W, C], Sinapse's
 * layout, and every rank-4 tensor of the graph becomes the same tensor stored NHWC. (A rank-4 input
 * that only feeds Transpose(0,3,1,2) is NHWC already: toOnnx writes its inputs so.) Each ONNX value
 * remembers which of the two it is in ONNX's eyes:
 *
 *   'nchw'   ONNX sees [N, C, H, W]; Sinapse holds [N, H, W, C]     (PyTorch's images)
 *   'plain'  ONNX sees what Sinapse holds                          (vectors; toOnnx's NHWC edges)
 *
 * so Transpose(0,3,1,2) and Transpose(0,2,3,1), the layout changes toOnnx writes, cost nothing here:
 * they only relabel the value. Axes are mapped (Concat's channel axis 1 is Sinapse's 3), kernels
 * transposed ([out, in, kh, kw] → [kh, kw, in, out]), and a Flatten of an 'nchw' value, which orders
 * the features C, H, W, is followed by a Dense whose kernel rows are permuted to Sinapse's H, W, C order:
 * the same outputs, with no transpose at run time.
 *
 * Note [ONNX pads as Sinapse layers]
 * ONNX gives explicit pads [top, left, bottom, right]; Sinapse's layers know 'valid' and 'same' (TF's,
 * the extra cell at the bottom / right). Pads equal to TF's 'same' become 'same'; zero pads 'valid';
 * others (PyTorch's symmetric padding of a strided convolution) a ZeroPadding2D before a 'valid' layer,
 * which is exact for Conv and LpPool (a zero adds nothing to a sum of squares), for AveragePool only with
 * count_include_pad = 1, and for MaxPool only when the input cannot be negative (it comes out of a Relu),
 * since ONNX's max pooling ignores pads rather than seeing zeros.
 */
import {
  Activation,
  Add,
  Average,
  AveragePooling2D,
  BatchNormalization,
  Concatenate,
  Conv2D,
  Dense,
  Flatten,
  GlobalAveragePooling2D,
  GlobalMaxPooling2D,
  input,
  L2Pooling2D,
  type Layer,
  LocalResponseNormalization,
  Maximum,
  MaxPooling2D,
  Minimum,
  Multiply,
  ReLU,
  Subtract,
  type SymbolicTensor,
  ZeroPadding2D,
} from '@sinapse/layers';
import { type Model, model } from '@sinapse/models';
import { ConfigError, type Tensor, ValueError } from '@sinapse/tensor';
import { DataType, ModelProto } from './proto';

/** Options of {@link fromOnnx}. */
export interface FromOnnxOptions {
  /** The model's name. Default: the ONNX graph's name, or 'onnx_model'. */
  name?: string;
}

type Json = Record<string, unknown>;
interface OnnxNode {
  opType: string;
  name?: string;
  input: string[];
  output: string[];
  attribute: {
    name: string;
    f?: number;
    i?: number;
    s?: Uint8Array;
    ints?: number[];
    floats?: number[];
    t?: OnnxTensor;
  }[];
}
interface OnnxTensor {
  name?: string;
  dims: number[];
  dataType: number;
  rawData?: Uint8Array;
  floatData?: number[];
  int64Data?: number[];
  int32Data?: number[];
}

/** A constant: an initializer or a Constant node's value. */
interface Const {
  dims: number[];
  values: Float32Array | number[];
}

/** An ONNX value as a Sinapse symbolic tensor (Note [NCHW graphs in an NHWC library]). */
interface Value {
  t: SymbolicTensor;
  layout: 'nchw' | 'plain';
  /** For a Flatten of an 'nchw' value: [C, H, W], the order of its features in ONNX. */
  flattenedFrom?: [number, number, number];
  /** Whether its elements are ≥ 0 (the output of a Relu): zero padding then cannot change a max. */
  nonNegative?: boolean;
}

const OPS =
  'Conv, Gemm, MaxPool, AveragePool, LpPool (p = 2), GlobalMaxPool, GlobalAveragePool, BatchNormalization, LRN, Pad, ' +
  'Relu, LeakyRelu, Clip, Sigmoid, Tanh, Elu, Softmax, Flatten, Reshape (to [N, -1]), Transpose (layout only), ' +
  'Add, Sub, Mul, Max, Min, Sum, Mean, Concat, Identity, Dropout';

/**
 * A Sinapse functional model computing what the ONNX graph computes. Image inputs and outputs are NHWC
 * (a PyTorch graph's [N, C, H, W] input becomes [N, H, W, C]; Note [NCHW graphs in an NHWC library]).
 * @throws ConfigError naming the node for an op or attribute outside the subset this reads.
 * @throws ValueError for bytes that are not an ONNX model.
 * @example
 * const net = fromOnnx(readFileSync('lenet5.onnx')); // exported by torch.onnx.export
 * net.predict(images); // images NHWC
 */
export function fromOnnx<Out extends Tensor | Tensor[] = Tensor>(
  bytes: Uint8Array,
  options: FromOnnxOptions = {},
): Model<Out> {
  let decoded: Json;
  try {
    decoded = ModelProto.toObject(ModelProto.decode(bytes), { longs: Number, arrays: true, bytes: Uint8Array }) as Json;
  } catch (err) {
    throw new ValueError(`fromOnnx: the bytes are not an ONNX model (${(err as Error).message})`);
  }
  const graph = decoded.graph as
    | { name?: string; node: OnnxNode[]; initializer: OnnxTensor[]; input: Json[]; output: Json[] }
    | undefined;
  if (graph === undefined) throw new ValueError('fromOnnx: the bytes are not an ONNX model: no graph');
  const consts = new Map<string, Const>(graph.initializer.map((t) => [t.name!, readTensor(t)]));
  const values = new Map<string, Value>();
  const names = new Set<string>();
  const weights: [Layer, Float32Array[]][] = [];

  const inputs = graph.input
    .filter((i) => !consts.has(i.name as string))
    .map((i) => {
      const name = String(i.name);
      const dims = (((i.type as Json)?.tensorType as Json)?.shape as { dim: Json[] } | undefined)?.dim ?? [];
      const shape = dims.slice(1).map((d) => d.dimValue as number | undefined);
      if (shape.some((d) => d === undefined || d <= 0)) {
        throw new ConfigError(
          `fromOnnx: input '${name}' needs static sizes after the batch axis, but has [${dims.map((d) => d.dimValue ?? d.dimParam).join(', ')}]`,
        );
      }
      // a rank-4 input is PyTorch's NCHW, unless it only feeds NHWC → NCHW transposes (toOnnx's NHWC input)
      const toNchw = graph.node.filter((n) => n.input.includes(name));
      const nhwc =
        toNchw.length > 0 &&
        toNchw.every(
          (n) => n.opType === 'Transpose' && n.attribute.find((a) => a.name === 'perm')?.ints?.join(',') === '0,3,1,2',
        );
      const nchw = shape.length === 3 && !nhwc;
      const t = input({
        shape: nchw ? [shape[1]!, shape[2]!, shape[0]!] : (shape as number[]),
        name: unique(names, name),
      });
      values.set(name, { t, layout: nchw ? 'nchw' : 'plain' });
      return t;
    });

  for (const node of graph.node) {
    const where = `fromOnnx: node '${node.name || node.output[0]}' (${node.opType})`;
    if (node.opType === 'Constant') {
      const t = node.attribute.find((a) => a.name === 'value')?.t;
      if (t === undefined) throw new ConfigError(`${where}: only tensor constants ('value') are read`);
      consts.set(node.output[0]!, readTensor(t));
      continue;
    }
    const out = emitNode(node, where);
    values.set(node.output[0]!, out);
  }

  const outputs = graph.output.map((o) => {
    const v = values.get(String(o.name));
    if (v === undefined)
      throw new ConfigError(`fromOnnx: output '${String(o.name)}' is not computed by any node this read`);
    return v.t;
  });
  const m = model({
    inputs: inputs.length === 1 ? inputs[0]! : inputs,
    outputs: outputs.length === 1 ? outputs[0]! : outputs,
    name: options.name ?? (graph.name || 'onnx_model'),
  });
  void m.weights; // builds every layer, so the weights below have somewhere to go
  for (const [layer, arrays] of weights) {
    layer.weights.forEach((p, i) => {
      p.assign(arrays[i]!);
    });
  }
  return m as unknown as Model<Out>;

  // ---- one node --------------------------------------------------------------------------------

  function emitNode(node: OnnxNode, where: string): Value {
    const attr = (name: string) => node.attribute.find((a) => a.name === name);
    const int = (name: string, fallback: number) => attr(name)?.i ?? fallback;
    const ints = (name: string, fallback: number[]) => attr(name)?.ints ?? fallback;
    const float = (name: string, fallback: number) => attr(name)?.f ?? fallback;
    const value = (i: number): Value => {
      const v = values.get(node.input[i]!);
      if (v === undefined) {
        throw new ConfigError(
          `${where}: input '${node.input[i]}' is ${consts.has(node.input[i]!) ? 'a constant, which this op may not take here' : 'not computed by any node before it'}`,
        );
      }
      return v;
    };
    const constant = (i: number, what: string): Const => {
      const c = consts.get(node.input[i] ?? '');
      if (c === undefined) throw new ConfigError(`${where}: its ${what} (input ${i}) must be a constant`);
      return c;
    };
    const layerName = () => unique(names, sanitize(node.name || node.output[0]!));
    const apply = (layer: Layer, v: Value | Value[], extra: Partial<Value> = {}): Value => {
      const list = Array.isArray(v) ? v : [v];
      const t = layer.apply(list.length === 1 ? list[0]!.t : list.map((x) => x.t)) as SymbolicTensor;
      return { t, layout: list[0]!.layout, ...extra };
    };
    const image = (v: Value): Value => {
      if (v.layout !== 'nchw' || v.t.shape.length !== 4) {
        throw new ConfigError(
          `${where}: expects an NCHW image, but its input has shape ${JSON.stringify(v.t.shape)} (${v.layout})`,
        );
      }
      return v;
    };
    const noAutoPad = () => {
      const auto = attr('auto_pad')?.s;
      const mode = auto === undefined ? 'NOTSET' : new TextDecoder().decode(auto);
      if (mode === 'VALID') return 'valid';
      if (mode === 'SAME_UPPER') return 'same';
      if (mode !== 'NOTSET')
        throw new ConfigError(`${where}: auto_pad ${mode} is not read (SAME_LOWER puts the extra cell first)`);
      return null;
    };

    switch (node.opType) {
      case 'Identity':
      case 'Dropout':
        return value(0);
      case 'Transpose': {
        const v = value(0);
        const perm = ints('perm', []).join(',');
        if (v.t.shape.length === 4 && v.layout === 'plain' && perm === '0,3,1,2') return { ...v, layout: 'nchw' };
        if (v.t.shape.length === 4 && v.layout === 'nchw' && perm === '0,2,3,1') return { ...v, layout: 'plain' };
        throw new ConfigError(
          `${where}: reads only the NHWC ⇄ NCHW transposes, but got perm [${perm}] of a ${v.layout} value`,
        );
      }
      case 'Conv': {
        const v = image(value(0));
        const w = constant(1, 'weight');
        const bias = node.input[2] ? constant(2, 'bias') : undefined;
        if (int('group', 1) !== 1)
          throw new ConfigError(`${where}: group ${int('group', 1)} is not read (Sinapse's Conv2D has group 1)`);
        const [cout, cin, kh, kw] = w.dims as [number, number, number, number];
        const strides = ints('strides', [1, 1]) as [number, number];
        const dilations = ints('dilations', [1, 1]) as [number, number];
        const { input: padded, padding } = padFor(
          v,
          [kh, kw],
          strides,
          dilations,
          noAutoPad(),
          ints('pads', [0, 0, 0, 0]),
          'zeros',
        );
        const layer = new Conv2D({
          filters: cout,
          kernelSize: [kh, kw],
          strides,
          dilationRate: dilations,
          padding,
          useBias: bias !== undefined,
          name: layerName(),
        });
        weights.push([
          layer,
          bias === undefined ? [toHWIO(w.values, cout, cin, kh, kw)] : [toHWIO(w.values, cout, cin, kh, kw), f32(bias)],
        ]);
        return apply(layer, padded);
      }
      case 'Gemm': {
        const v = value(0);
        if (float('alpha', 1) !== 1 || float('beta', 1) !== 1 || int('transA', 0) !== 0) {
          throw new ConfigError(`${where}: reads Gemm with alpha 1, beta 1 and transA 0 only`);
        }
        const b = constant(1, 'weight');
        const c = node.input[2] ? constant(2, 'bias') : undefined;
        const transB = int('transB', 0) === 1;
        const [rows, cols] = b.dims as [number, number];
        const [fanIn, units] = transB ? [cols, rows] : [rows, cols];
        let kernel = transB ? transpose2d(b.values, rows, cols) : f32(b);
        if (v.flattenedFrom !== undefined) kernel = chwRowsToHwc(kernel, v.flattenedFrom, units);
        const layer = new Dense({ units, useBias: c !== undefined, name: layerName() });
        weights.push([layer, c === undefined ? [kernel] : [kernel, f32(c)]]);
        if (v.t.shape[1] !== fanIn)
          throw new ConfigError(
            `${where}: weight [${b.dims.join(', ')}] does not fit input ${JSON.stringify(v.t.shape)}`,
          );
        return apply(layer, v, { layout: 'plain' });
      }
      case 'MaxPool':
      case 'AveragePool':
      case 'LpPool': {
        const v = image(value(0));
        if (int('ceil_mode', 0) !== 0) throw new ConfigError(`${where}: ceil_mode 1 is not read`);
        if (ints('dilations', [1, 1]).some((d) => d !== 1)) throw new ConfigError(`${where}: dilations are not read`);
        if (node.opType === 'LpPool' && int('p', 2) !== 2)
          throw new ConfigError(`${where}: p ${int('p', 2)} is not read; Sinapse's L2Pooling2D is p = 2`);
        const k = ints('kernel_shape', []) as [number, number];
        const strides = ints('strides', [1, 1]) as [number, number];
        const fill =
          node.opType === 'LpPool' || (node.opType === 'AveragePool' && int('count_include_pad', 0) === 1)
            ? 'zeros'
            : node.opType === 'MaxPool' && v.nonNegative
              ? 'zeros'
              : 'none';
        const { input: padded, padding } = padFor(v, k, strides, [1, 1], noAutoPad(), ints('pads', [0, 0, 0, 0]), fill);
        const options = { poolSize: k, strides, padding, name: layerName() };
        const layer =
          node.opType === 'MaxPool'
            ? new MaxPooling2D(options)
            : node.opType === 'AveragePool'
              ? new AveragePooling2D(options)
              : new L2Pooling2D(options);
        return apply(layer, padded, { nonNegative: v.nonNegative || node.opType === 'LpPool' });
      }
      case 'GlobalMaxPool':
      case 'GlobalAveragePool': {
        const v = image(value(0));
        const layer = new (node.opType === 'GlobalMaxPool' ? GlobalMaxPooling2D : GlobalAveragePooling2D)({
          keepDims: true,
          name: layerName(),
        });
        return apply(layer, v);
      }
      case 'BatchNormalization': {
        const v = value(0);
        if (int('training_mode', 0) !== 0 || node.output.length > 1)
          throw new ConfigError(`${where}: reads inference-mode batch normalization only`);
        if (v.t.shape.length !== 2 && !(v.t.shape.length === 4 && v.layout === 'nchw')) {
          throw new ConfigError(
            `${where}: reads batch normalization of vectors or NCHW images, but got ${JSON.stringify(v.t.shape)}`,
          );
        }
        const layer = new BatchNormalization({
          epsilon: float('epsilon', 1e-5),
          momentum: float('momentum', 0.9),
          name: layerName(),
        });
        weights.push([layer, [1, 2, 3, 4].map((i) => f32(constant(i, ['', 'scale', 'bias', 'mean', 'variance'][i]!)))]);
        return apply(layer, v);
      }
      case 'LRN': {
        const v = image(value(0));
        const size = int('size', 0);
        if (size % 2 !== 1)
          throw new ConfigError(`${where}: size ${size} must be odd (a window centred on each channel)`);
        const layer = new LocalResponseNormalization({
          depthRadius: (size - 1) / 2,
          alpha: float('alpha', 1e-4) / size, // ONNX divides alpha by the window size, Sinapse does not
          beta: float('beta', 0.75),
          bias: float('bias', 1),
          name: layerName(),
        });
        return apply(layer, v);
      }
      case 'Pad': {
        const v = value(0);
        const mode = attr('mode')?.s === undefined ? 'constant' : new TextDecoder().decode(attr('mode')!.s);
        const pads = node.input[1] ? (constant(1, 'pads').values as number[]) : ints('pads', []);
        const fill = node.input[2] ? constant(2, 'constant value').values[0] : float('value', 0);
        if (pads.every((p) => p === 0)) return v;
        if (
          mode !== 'constant' ||
          fill !== 0 ||
          v.layout !== 'nchw' ||
          pads.length !== 8 ||
          pads[0] ||
          pads[1] ||
          pads[4] ||
          pads[5]
        ) {
          throw new ConfigError(
            `${where}: reads zero padding of the spatial axes of NCHW images only, but got mode ${mode}, value ${fill}, pads [${pads.join(', ')}]`,
          );
        }
        const layer = new ZeroPadding2D({
          padding: [
            [pads[2]!, pads[6]!],
            [pads[3]!, pads[7]!],
          ],
          name: layerName(),
        });
        return apply(layer, v);
      }
      case 'Relu':
        return apply(new ReLU({ name: layerName() }), value(0), { nonNegative: true });
      case 'LeakyRelu':
        return apply(new ReLU({ negativeSlope: float('alpha', 0.01), name: layerName() }), value(0));
      case 'Clip': {
        const lo = node.input[1] ? constant(1, 'min').values[0] : float('min', Number.NEGATIVE_INFINITY);
        const hi = node.input[2] ? constant(2, 'max').values[0] : float('max', Number.POSITIVE_INFINITY);
        if (lo !== 0)
          throw new ConfigError(`${where}: reads Clip from 0 only (a ReLU with a max value), but min is ${lo}`);
        const maxValue = Number.isFinite(hi) ? (hi as number) : undefined;
        return apply(new ReLU({ maxValue, name: layerName() }), value(0), { nonNegative: true });
      }
      case 'Sigmoid':
      case 'Tanh':
      case 'Elu':
      case 'Softmax': {
        const v = value(0);
        if (node.opType === 'Elu' && float('alpha', 1) !== 1)
          throw new ConfigError(`${where}: reads Elu with alpha 1 only`);
        if (node.opType === 'Softmax') {
          const rank = v.t.shape.length;
          const axis = int('axis', -1);
          const channels = v.layout === 'nchw' ? axis === 1 : axis === -1 || axis === rank - 1;
          if (!channels)
            throw new ConfigError(
              `${where}: reads softmax over the last axis (the channels of an image) only, but got axis ${axis}`,
            );
        }
        const activation = { Sigmoid: 'sigmoid', Tanh: 'tanh', Elu: 'elu', Softmax: 'softmax' }[
          node.opType
        ] as 'sigmoid';
        return apply(new Activation({ activation, name: layerName() }), v);
      }
      case 'Flatten':
      case 'Reshape': {
        const v = value(0);
        if (node.opType === 'Flatten' && int('axis', 1) !== 1) throw new ConfigError(`${where}: reads axis 1 only`);
        if (node.opType === 'Reshape') {
          const target = constant(1, 'shape').values as number[];
          const features = v.t.shape.slice(1).reduce<number>((a, b) => a * (b ?? 0), 1);
          const flattening = target.length === 2 && [0, -1].includes(target[0]!) && [-1, features].includes(target[1]!);
          if (!flattening)
            throw new ConfigError(
              `${where}: reads only a reshape to [N, -1] (a flatten), but got [${target.join(', ')}]`,
            );
        }
        if (v.t.shape.length === 2) return v;
        const [, h, w, c] = v.t.shape as number[];
        const flattenedFrom: [number, number, number] | undefined =
          v.layout === 'nchw' && v.t.shape.length === 4 ? [c!, h!, w!] : undefined;
        return apply(new Flatten({ name: layerName() }), v, { layout: 'plain', flattenedFrom });
      }
      case 'Add':
      case 'Sub':
      case 'Mul':
      case 'Max':
      case 'Min':
      case 'Sum':
      case 'Mean': {
        const args = node.input.map((_, i) => value(i));
        if (args.some((a) => a.layout !== args[0]!.layout || a.t.shape.length !== args[0]!.t.shape.length)) {
          throw new ConfigError(`${where}: reads merges of values of one layout and rank only`);
        }
        if (args.length === 1) return args[0]!;
        const Cls = { Add: Add, Sum: Add, Sub: Subtract, Mul: Multiply, Max: Maximum, Min: Minimum, Mean: Average }[
          node.opType
        ]!;
        const nonNegative =
          ['Max', 'Mean', 'Add', 'Sum', 'Min', 'Mul'].includes(node.opType) && args.every((a) => a.nonNegative);
        return apply(new Cls({ name: layerName() }), args, { nonNegative });
      }
      case 'Concat': {
        const args = node.input.map((_, i) => value(i));
        const rank = args[0]!.t.shape.length;
        if (args.some((a) => a.layout !== args[0]!.layout))
          throw new ConfigError(`${where}: reads concatenations of one layout only`);
        const a = int('axis', 0) < 0 ? int('axis', 0) + rank : int('axis', 0);
        const axis = args[0]!.layout === 'nchw' ? [0, 3, 1, 2][a]! : a;
        return apply(new Concatenate({ axis, name: layerName() }), args);
      }
      default:
        throw new ConfigError(`${where}: Sinapse has no layer for ONNX's ${node.opType}; fromOnnx reads ${OPS}`);
    }

    /** Note [ONNX pads as Sinapse layers]. */
    function padFor(
      v: Value,
      kernel: [number, number],
      strides: [number, number],
      dilations: [number, number],
      auto: 'valid' | 'same' | null,
      pads: number[],
      fill: 'zeros' | 'none',
    ): { input: Value; padding: 'valid' | 'same' } {
      if (auto !== null) return { input: v, padding: auto };
      if (pads.every((p) => p === 0)) return { input: v, padding: 'valid' };
      const same = tfSamePads(v.t.shape, kernel, strides, dilations);
      if (pads.every((p, i) => p === same[i])) return { input: v, padding: 'same' };
      if (fill === 'none') {
        throw new ConfigError(
          `${where}: pads [${pads.join(', ')}] are not TF's 'same' [${same.join(', ')}], and zero padding would change ` +
            'this op (a max over cells that may be negative, or an average that excludes the padding)',
        );
      }
      const [t, l, b, r] = pads as [number, number, number, number];
      const layer = new ZeroPadding2D({
        padding: [
          [t, b],
          [l, r],
        ],
        name: unique(names, `${sanitize(node.name || node.output[0]!)}_pad`),
      });
      return { input: apply(layer, v, { nonNegative: v.nonNegative }), padding: 'valid' };
    }
  }
}

/** [top, left, bottom, right] of TF's 'same' for an NHWC input (Note [TF's 'same' padding in ONNX] in export.ts). */
function tfSamePads(
  shape: readonly (number | null)[],
  k: [number, number],
  s: [number, number],
  d: [number, number],
): number[] {
  const total = [0, 1].map((i) => {
    const size = shape[i + 1] as number;
    return Math.max((Math.ceil(size / s[i]!) - 1) * s[i]! + (k[i]! - 1) * d[i]! + 1 - size, 0);
  });
  return [
    Math.floor(total[0]! / 2),
    Math.floor(total[1]! / 2),
    total[0]! - Math.floor(total[0]! / 2),
    total[1]! - Math.floor(total[1]! / 2),
  ];
}

function readTensor(t: OnnxTensor): Const {
  const dims = t.dims ?? [];
  const n = dims.reduce((a, b) => a * b, 1);
  if (t.dataType === DataType.FLOAT) {
    if (t.rawData !== undefined && t.rawData.byteLength > 0) {
      const view = new DataView(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength);
      const values = new Float32Array(n);
      for (let i = 0; i < n; i++) values[i] = view.getFloat32(i * 4, true);
      return { dims, values };
    }
    return { dims, values: Float32Array.from(t.floatData ?? []) };
  }
  if (t.dataType === DataType.INT64) {
    if (t.rawData !== undefined && t.rawData.byteLength > 0) {
      const view = new DataView(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength);
      const values: number[] = new Array(n);
      for (let i = 0; i < n; i++) values[i] = Number(view.getBigInt64(i * 8, true));
      return { dims, values };
    }
    return { dims, values: [...(t.int64Data ?? [])] };
  }
  throw new ConfigError(
    `fromOnnx: constant '${t.name}' has data type ${t.dataType}; float32 (1) and int64 (7) are read`,
  );
}

const f32 = (c: Const): Float32Array => (c.values instanceof Float32Array ? c.values : Float32Array.from(c.values));

/** ONNX's [out, in, kh, kw] as Sinapse's [kh, kw, in, out]. */
function toHWIO(data: ArrayLike<number>, cout: number, cin: number, kh: number, kw: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let o = 0; o < cout; o++) {
    for (let i = 0; i < cin; i++) {
      for (let y = 0; y < kh; y++) {
        for (let x = 0; x < kw; x++)
          out[((y * kw + x) * cin + i) * cout + o] = data[((o * cin + i) * kh + y) * kw + x]!;
      }
    }
  }
  return out;
}

function transpose2d(data: ArrayLike<number>, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!;
  return out;
}

/** A Dense kernel [C·H·W, units] whose rows are in C, H, W order, with its rows put in H, W, C order. */
function chwRowsToHwc(kernel: Float32Array, [c, h, w]: [number, number, number], units: number): Float32Array {
  const out = new Float32Array(kernel.length);
  for (let ci = 0; ci < c; ci++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const from = ((ci * h + y) * w + x) * units;
        const to = ((y * w + x) * c + ci) * units;
        out.set(kernel.subarray(from, from + units), to);
      }
    }
  }
  return out;
}

/** A layer name from an ONNX name ('/block1/conv1/Conv' → 'block1_conv1_Conv'). */
function sanitize(name: string): string {
  const s = name.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  return s === '' ? 'node' : s;
}

function unique(used: Set<string>, base: string): string {
  let name = base;
  for (let i = 1; used.has(name); i++) name = `${base}_${i}`;
  used.add(name);
  return name;
}
