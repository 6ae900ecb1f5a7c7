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
import { ConfigError, checkOptionNames, MAX_ELEMENTS, ShapeError, type Tensor, ValueError } from '@sinapse/tensor';
import type protobuf from 'protobufjs/light.js';
import { inContext } from '../context';
import { DataType, ModelProto } from './proto';
import {
  Attributes,
  type Const,
  checkCount,
  ONNX_LIMITS,
  type OnnxGraph,
  type OnnxNode,
  readTensor,
  short,
} from './read';

type Json = Record<string, unknown>;

/** Options of {@link fromOnnx}. */
export interface FromOnnxOptions {
  /** The model's name. Default: the ONNX graph's name, or 'onnx_model'. */
  name?: string;
  /** The file the bytes came from, named first in every message. Default 'model.onnx'. */
  file?: string;
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

/** How many inputs each op takes, [least, most] ('' for an optional input left out counts). */
const ARITY: Record<string, [number, number]> = {
  Identity: [1, 1],
  Dropout: [1, 3],
  Transpose: [1, 1],
  Conv: [2, 3],
  Gemm: [2, 3],
  MaxPool: [1, 1],
  AveragePool: [1, 1],
  LpPool: [1, 1],
  GlobalMaxPool: [1, 1],
  GlobalAveragePool: [1, 1],
  BatchNormalization: [5, 5],
  LRN: [1, 1],
  Pad: [1, 4],
  Relu: [1, 1],
  LeakyRelu: [1, 1],
  Clip: [1, 3],
  Sigmoid: [1, 1],
  Tanh: [1, 1],
  Elu: [1, 1],
  Softmax: [1, 1],
  Flatten: [1, 1],
  Reshape: [2, 2],
  Concat: [1, ONNX_LIMITS.nodeInputs],
  Add: [2, 2],
  Sub: [2, 2],
  Mul: [2, 2],
  Max: [1, ONNX_LIMITS.nodeInputs],
  Min: [1, ONNX_LIMITS.nodeInputs],
  Sum: [1, ONNX_LIMITS.nodeInputs],
  Mean: [1, ONNX_LIMITS.nodeInputs],
  Constant: [0, 0],
};

/**
 * A Sinapse functional model computing what the ONNX graph computes. Image inputs and outputs are NHWC
 * (a PyTorch graph's [N, C, H, W] input becomes [N, H, W, C]; Note [NCHW graphs in an NHWC library]).
 * Everything is checked before a weight is allocated (Note [Limits of an ONNX graph] in read.ts): each
 * constant's dims against its data, each node's inputs, attributes and weights against the shapes that
 * flow into it.
 * @throws ConfigError naming the file and the node for an op or attribute outside the subset this reads.
 * @throws ValueError naming the file and the field for bytes that are not an ONNX model, a tensor whose
 *   dims do not fit its data, or a graph past the limits.
 * @throws ShapeError naming the layer for weights that do not fit the values flowing in.
 * @example
 * const net = fromOnnx(readFileSync('lenet5.onnx'), { file: 'lenet5.onnx' }); // exported by torch.onnx.export
 * net.predict(images); // images NHWC
 */
export function fromOnnx<Out extends Tensor | Tensor[] = Tensor>(
  bytes: Uint8Array,
  options: FromOnnxOptions = {},
): Model<Out> {
  return readOnnx<Out>('fromOnnx', bytes, options);
}

/** fromOnnx with the function named first in messages (loadOnnx's). */
export function readOnnx<Out extends Tensor | Tensor[] = Tensor>(
  op: string,
  bytes: Uint8Array,
  options: FromOnnxOptions = {},
): Model<Out> {
  if (options === null || typeof options !== 'object') {
    throw new ConfigError(`${op}: options must be an object, but got ${String(options)}`);
  }
  checkOptionNames(op, options, ['name', 'file']);
  const who = `${op}: ${options.file ?? 'model.onnx'}`;
  if (!(bytes instanceof Uint8Array)) {
    throw new ValueError(`${who}: expects the file's bytes as a Uint8Array, but got ${describeValue(bytes)}`);
  }
  let message: protobuf.Message;
  try {
    message = ModelProto.decode(bytes);
  } catch (err) {
    throw new ValueError(`${who}: the bytes are not an ONNX model (${(err as Error).message})`);
  }
  // the lists' lengths before toObject copies them (Note [Limits of an ONNX graph])
  const lists = (message as unknown as { graph?: Record<string, unknown[]> }).graph;
  if (lists === undefined || lists === null) throw new ValueError(`${who}: the bytes are not an ONNX model: no graph`);
  lists.node ??= [];
  checkCount(who, 'graph.node', lists.node, ONNX_LIMITS.nodes);
  checkCount(who, 'graph.initializer', lists.initializer ?? [], ONNX_LIMITS.initializers);
  checkCount(who, 'graph.input', lists.input ?? [], ONNX_LIMITS.graphInputs);
  checkCount(who, 'graph.output', lists.output ?? [], ONNX_LIMITS.graphOutputs);
  (lists.node as { input?: unknown[]; output?: unknown[]; attribute?: unknown[] }[]).forEach((n, k) => {
    checkCount(`${who}: graph.node[${k}]`, 'input', n.input ?? [], ONNX_LIMITS.nodeInputs);
    checkCount(`${who}: graph.node[${k}]`, 'output', n.output ?? [], ONNX_LIMITS.nodeOutputs);
    checkCount(`${who}: graph.node[${k}]`, 'attribute', n.attribute ?? [], ONNX_LIMITS.attributes);
  });
  const decoded = ModelProto.toObject(message, { longs: Number, arrays: true, bytes: Uint8Array }) as Json;
  const graph = decoded.graph as OnnxGraph;

  const consts = new Map<string, Const>();
  graph.initializer.forEach((t, k) => {
    const field = `graph.initializer[${k}]${t.name ? ` '${short(t.name)}'` : ''}`;
    if (!t.name) throw new ValueError(`${who}: ${field} has no name`);
    if (consts.has(t.name)) throw new ValueError(`${who}: ${field}: the name is used by another initializer`);
    consts.set(t.name, readTensor(who, field, t));
  });
  const values = new Map<string, Value>();
  const names = new Set<string>();
  // each layer's weights, made once the whole graph is read: a graph refused at its last node allocates none
  const weights: [Layer, () => Float32Array[]][] = [];
  // who reads each value, once (Note [Limits of an ONNX graph])
  const consumers = new Map<string, OnnxNode[]>();
  graph.node.forEach((n, k) => {
    checkCount(`${who}: graph.node[${k}]`, 'input', n.input, ONNX_LIMITS.nodeInputs);
    for (const name of new Set(n.input)) {
      const list = consumers.get(name);
      if (list === undefined) consumers.set(name, [n]);
      else list.push(n);
    }
  });

  const inputs = graph.input
    .filter((i) => !consts.has(i.name as string))
    .map((i, k) => {
      const field = `graph.input[${k}]`;
      const name = i.name;
      if (typeof name !== 'string' || name === '') throw new ValueError(`${who}: ${field} has no name`);
      if (values.has(name)) throw new ValueError(`${who}: ${field} '${name}': the name is used by another input`);
      const tensorType = (i.type as Json | undefined)?.tensorType as Json | undefined;
      const elemType = tensorType?.elemType;
      if (elemType !== undefined && elemType !== DataType.FLOAT) {
        throw new ConfigError(
          `${who}: ${field} '${name}' has elem_type ${String(elemType)}; float32 (1) inputs are read`,
        );
      }
      const dims = ((tensorType?.shape as { dim?: Json[] } | undefined)?.dim ?? []) as Json[];
      const shape = dims.slice(1).map((d) => d.dimValue as number | undefined);
      if (dims.length !== 2 && dims.length !== 4) {
        throw new ConfigError(
          `${who}: ${field} '${name}' must be [batch, features] or an image [batch, C, H, W], but has rank ${dims.length}`,
        );
      }
      if (shape.some((d) => d === undefined || !Number.isInteger(d) || d <= 0 || d > ONNX_LIMITS.dim)) {
        throw new ConfigError(
          `${who}: ${field} '${name}' needs static sizes from 1 to 2^31 − 1 after the batch axis, but has [${dims.map((d) => d.dimValue ?? d.dimParam).join(', ')}]`,
        );
      }
      checkElements(`${who}: ${field} '${name}'`, shape as number[]);
      // a rank-4 input is PyTorch's NCHW, unless it only feeds NHWC → NCHW transposes (toOnnx's NHWC input)
      const toNchw = consumers.get(name) ?? [];
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
  if (inputs.length === 0) throw new ConfigError(`${who}: graph.input lists no input that is not an initializer`);

  // the graph's structure first, with no layer built: each node's op, input count, inputs computed before it,
  // one new output (Note [Limits of an ONNX graph]); a graph of thousands of nodes refused at its last costs
  // its decoded objects only, not thousands of layers
  const whereOf = (node: OnnxNode, k: number) =>
    `${who}: graph.node[${k}] '${short(node.name || node.output[0] || '')}' (${short(node.opType)})`;
  const known = new Set<string>([...consts.keys(), ...values.keys()]);
  graph.node.forEach((node, k) => {
    const where = whereOf(node, k);
    const arity = ARITY[node.opType ?? ''];
    if (arity === undefined) {
      throw new ConfigError(`${where}: Sinapse has no layer for ONNX's ${short(node.opType)}; fromOnnx reads ${OPS}`);
    }
    if (node.input.length < arity[0] || node.input.length > arity[1]) {
      throw new ConfigError(
        `${where}: takes ${arity[0] === arity[1] ? arity[0] : `${arity[0]} to ${arity[1]}`} inputs, but has ${node.input.length}`,
      );
    }
    for (const [i, name] of node.input.entries()) {
      if (name !== '' && !known.has(name))
        throw new ConfigError(`${where}: input ${i} '${short(name)}' is not computed by any node before it`);
    }
    checkCount(where, 'output', node.output, ONNX_LIMITS.nodeOutputs);
    const out = node.output[0];
    if (typeof out !== 'string' || out === '') throw new ValueError(`${where}: has no output`);
    if (known.has(out)) {
      throw new ValueError(
        `${where}: output '${short(out)}' is already computed by an earlier node, an input or an initializer`,
      );
    }
    known.add(out);
  });

  graph.node.forEach((node, k) => {
    const where = whereOf(node, k);
    const out = node.output[0]!;
    const attrs = new Attributes(where, node.attribute);
    if (node.opType === 'Constant') {
      const t = attrs.tensor('value');
      if (t === undefined) throw new ConfigError(`${where}: only tensor constants ('value') are read`);
      consts.set(out, readTensor(where, "attribute 'value'", t));
      return;
    }
    const v = inContext(where, () => emitNode(node, attrs, where));
    checkElements(`${where}: output '${out}'`, v.t.shape.slice(1) as number[]);
    values.set(out, v);
  });

  const outputs = graph.output.map((o, k) => {
    const v = values.get(String(o.name));
    if (v === undefined)
      throw new ConfigError(`${who}: graph.output[${k}] '${String(o.name)}' is not computed by any node this read`);
    return v.t;
  });
  if (outputs.length === 0) throw new ConfigError(`${who}: graph.output lists no output`);
  const m = inContext(who, () =>
    model({
      inputs: inputs.length === 1 ? inputs[0]! : inputs,
      outputs: outputs.length === 1 ? outputs[0]! : outputs,
      name: options.name ?? (graph.name || 'onnx_model'),
    }),
  );
  // every layer's weights were checked against its constants in emitNode: building them allocates
  // no more than the constants hold
  void m.weights;
  for (const [layer, make] of weights) {
    const arrays = make();
    layer.weights.forEach((p, i) => {
      p.assign(arrays[i]!);
    });
  }
  return m as unknown as Model<Out>;

  // ---- one node --------------------------------------------------------------------------------

  function emitNode(node: OnnxNode, attrs: Attributes, where: string): Value {
    const int = (name: string, fallback: number, min?: number, max?: number) => attrs.int(name, fallback, min, max);
    const float = (name: string, fallback: number) => attrs.float(name, fallback);
    const value = (i: number): Value => {
      const v = values.get(node.input[i]!);
      if (v === undefined) {
        throw new ConfigError(
          `${where}: input ${i} '${node.input[i]}' is ${consts.has(node.input[i]!) ? 'a constant, which this op may not take here' : 'not computed by any node before it'}`,
        );
      }
      return v;
    };
    const constant = (i: number, what: string): Const => {
      const c = consts.get(node.input[i] ?? '');
      if (c === undefined)
        throw new ConfigError(`${where}: its ${what} (input ${i} '${node.input[i] ?? ''}') must be a constant`);
      return c;
    };
    /** A constant of exactly these dims (its values' count then follows: readTensor checked it). */
    const weightOf = (i: number, what: string, dims: readonly number[]): Const => {
      const c = constant(i, what);
      if (c.dims.length !== dims.length || c.dims.some((d, k) => d !== dims[k])) {
        throw new ShapeError(
          `${where}: its ${what} '${node.input[i]}' must have dims [${dims.join(', ')}], but has [${c.dims.join(', ')}]`,
        );
      }
      return c;
    };
    /** A constant holding one number (Clip's bounds, Pad's value). */
    const scalar = (i: number, what: string): number => {
      const c = constant(i, what);
      if (c.size !== 1)
        throw new ValueError(`${where}: its ${what} must be one number, but has dims [${c.dims.join(', ')}]`);
      return c.values[0]!;
    };
    const has = (i: number) => node.input[i] !== undefined && node.input[i] !== '';
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
      const mode = attrs.string('auto_pad', 'NOTSET');
      if (mode === 'VALID') return 'valid';
      if (mode === 'SAME_UPPER') return 'same';
      if (mode !== 'NOTSET')
        throw new ConfigError(
          `${where}: attribute 'auto_pad' ${JSON.stringify(mode)} is not read (NOTSET, VALID or SAME_UPPER; SAME_LOWER puts the extra cell first)`,
        );
      return null;
    };
    const pair = (name: string, fallback: [number, number], min: number) =>
      attrs.ints(name, fallback, 2, min) as [number, number];
    const pads = () => attrs.ints('pads', [0, 0, 0, 0], 4, 0);

    switch (node.opType) {
      case 'Identity':
      case 'Dropout':
        return value(0);
      case 'Transpose': {
        const v = value(0);
        const perm = attrs.ints('perm', []).join(',');
        if (v.t.shape.length === 4 && v.layout === 'plain' && perm === '0,3,1,2') return { ...v, layout: 'nchw' };
        if (v.t.shape.length === 4 && v.layout === 'nchw' && perm === '0,2,3,1') return { ...v, layout: 'plain' };
        throw new ConfigError(
          `${where}: reads only the NHWC ⇄ NCHW transposes, but got perm [${perm}] of a ${v.layout} value`,
        );
      }
      case 'Conv': {
        const v = image(value(0));
        const group = int('group', 1);
        if (group !== 1) throw new ConfigError(`${where}: group ${group} is not read (Sinapse's Conv2D has group 1)`);
        const channels = v.t.shape[3] as number;
        const dims = constant(1, 'weight').dims;
        if (dims.length !== 4 || dims[1] !== channels || dims.some((d) => d === 0)) {
          throw new ShapeError(
            `${where}: its weight '${node.input[1]}' must be [out, ${channels}, kh, kw] (${channels}: the channels of its input ${JSON.stringify(v.t.shape)}), but has dims [${dims.join(', ')}]`,
          );
        }
        const w = weightOf(1, 'weight', dims);
        const [cout, cin, kh, kw] = dims as [number, number, number, number];
        const kernel = attrs.ints('kernel_shape', [kh, kw], 2, 1);
        if (kernel[0] !== kh || kernel[1] !== kw) {
          throw new ShapeError(
            `${where}: attribute 'kernel_shape' [${kernel.join(', ')}] is not the weight's [${kh}, ${kw}]`,
          );
        }
        const bias = has(2) ? weightOf(2, 'bias', [cout]) : undefined;
        const strides = pair('strides', [1, 1], 1);
        const dilations = pair('dilations', [1, 1], 1);
        const { input: padded, padding } = padFor(v, [kh, kw], strides, dilations, noAutoPad(), pads(), 'zeros');
        const layer = new Conv2D({
          filters: cout,
          kernelSize: [kh, kw],
          strides,
          dilationRate: dilations,
          padding,
          useBias: bias !== undefined,
          name: layerName(),
        });
        const out = apply(layer, padded);
        weights.push([layer, () => [toHWIO(w.values, cout, cin, kh, kw), ...(bias === undefined ? [] : [f32(bias)])]]);
        return out;
      }
      case 'Gemm': {
        const v = value(0);
        if (float('alpha', 1) !== 1 || float('beta', 1) !== 1 || int('transA', 0) !== 0) {
          throw new ConfigError(`${where}: reads Gemm with alpha 1, beta 1 and transA 0 only`);
        }
        const transB = int('transB', 0, 0, 1) === 1;
        const dims = constant(1, 'weight').dims;
        if (v.t.shape.length !== 2) {
          throw new ShapeError(
            `${where}: expects a batch of vectors [N, features], but its input has shape ${JSON.stringify(v.t.shape)}`,
          );
        }
        const fanIn = v.t.shape[1] as number;
        // the flattened input's features: the weight's rows (columns with transB) must be as many
        if (dims.length !== 2 || dims[transB ? 1 : 0] !== fanIn || dims[transB ? 0 : 1] === 0) {
          throw new ShapeError(
            `${where}: its weight '${node.input[1]}' must be ${transB ? `[units, ${fanIn}]` : `[${fanIn}, units]`} (${fanIn}: the features of its input ${JSON.stringify(v.t.shape)}), but has dims [${dims.join(', ')}]`,
          );
        }
        const b = weightOf(1, 'weight', dims);
        const [rows, cols] = dims as [number, number];
        const units = transB ? rows : cols;
        let c: Const | undefined;
        if (has(2)) {
          c = constant(2, 'bias');
          if (c.size !== units || c.dims.length > 2 || (c.dims.length === 2 && c.dims[0] !== 1)) {
            throw new ShapeError(
              `${where}: its bias '${node.input[2]}' must be [${units}], but has dims [${c.dims.join(', ')}]`,
            );
          }
        }
        const { flattenedFrom } = v;
        const layer = new Dense({ units, useBias: c !== undefined, name: layerName() });
        weights.push([
          layer,
          () => {
            let kernel = transB ? transpose2d(b.values, rows, cols) : f32(b);
            if (flattenedFrom !== undefined) kernel = chwRowsToHwc(kernel, flattenedFrom, units);
            return c === undefined ? [kernel] : [kernel, f32(c)];
          },
        ]);
        return apply(layer, v, { layout: 'plain' });
      }
      case 'MaxPool':
      case 'AveragePool':
      case 'LpPool': {
        const v = image(value(0));
        if (int('ceil_mode', 0) !== 0) throw new ConfigError(`${where}: ceil_mode 1 is not read`);
        if (attrs.ints('dilations', [1, 1]).some((d) => d !== 1))
          throw new ConfigError(`${where}: dilations are not read`);
        if (node.opType === 'LpPool' && int('p', 2) !== 2)
          throw new ConfigError(`${where}: p ${int('p', 2)} is not read; Sinapse's L2Pooling2D is p = 2`);
        if (!attrs.has('kernel_shape')) throw new ConfigError(`${where}: needs attribute 'kernel_shape'`);
        const k = pair('kernel_shape', [1, 1], 1);
        const strides = pair('strides', [1, 1], 1);
        const fill =
          node.opType === 'LpPool' || (node.opType === 'AveragePool' && int('count_include_pad', 0) === 1)
            ? 'zeros'
            : node.opType === 'MaxPool' && v.nonNegative
              ? 'zeros'
              : 'none';
        const { input: padded, padding } = padFor(v, k, strides, [1, 1], noAutoPad(), pads(), fill);
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
        const channels = v.t.shape.at(-1) as number;
        const stats = [1, 2, 3, 4].map((i) => weightOf(i, ['', 'scale', 'bias', 'mean', 'variance'][i]!, [channels]));
        const layer = new BatchNormalization({
          epsilon: float('epsilon', 1e-5),
          momentum: float('momentum', 0.9),
          name: layerName(),
        });
        weights.push([layer, () => stats.map(f32)]);
        return apply(layer, v);
      }
      case 'LRN': {
        const v = image(value(0));
        const size = int('size', 0, 0);
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
        const mode = attrs.string('mode', 'constant');
        let amounts: number[];
        if (has(1)) {
          const c = constant(1, 'pads');
          if (c.size > ONNX_LIMITS.attributeValues)
            throw new ConfigError(
              `${where}: its pads must be at most ${ONNX_LIMITS.attributeValues} numbers, but has dims [${c.dims.join(', ')}]`,
            );
          amounts = c.values as number[];
          if (
            amounts.length > ONNX_LIMITS.attributeValues ||
            amounts.some((p) => !Number.isInteger(p) || p < 0 || p > ONNX_LIMITS.dim)
          ) {
            throw new ConfigError(
              `${where}: its pads must be integers from 0 to 2^31 − 1, but got [${[...amounts].slice(0, 16).join(', ')}]`,
            );
          }
        } else amounts = attrs.ints('pads', [], undefined, 0);
        const fill = has(2) ? scalar(2, 'constant value') : float('value', 0);
        if (amounts.every((p) => p === 0)) return v;
        if (
          mode !== 'constant' ||
          fill !== 0 ||
          v.layout !== 'nchw' ||
          amounts.length !== 8 ||
          amounts[0] ||
          amounts[1] ||
          amounts[4] ||
          amounts[5]
        ) {
          throw new ConfigError(
            `${where}: reads zero padding of the spatial axes of NCHW images only, but got mode ${mode}, value ${fill}, pads [${amounts.join(', ')}]`,
          );
        }
        const layer = new ZeroPadding2D({
          padding: [
            [amounts[2]!, amounts[6]!],
            [amounts[3]!, amounts[7]!],
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
        const lo = has(1) ? scalar(1, 'min') : float('min', Number.NEGATIVE_INFINITY);
        const hi = has(2) ? scalar(2, 'max') : attrs.has('max') ? float('max', 0) : Number.POSITIVE_INFINITY;
        if (lo !== 0)
          throw new ConfigError(`${where}: reads Clip from 0 only (a ReLU with a max value), but min is ${lo}`);
        if (!(hi > 0)) throw new ConfigError(`${where}: reads Clip to a max above 0, but max is ${hi}`);
        const maxValue = Number.isFinite(hi) ? hi : undefined;
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
          const shape = constant(1, 'shape');
          if (shape.size !== 2)
            throw new ConfigError(
              `${where}: reads only a reshape to [N, -1] (a flatten), but its shape has dims [${shape.dims.join(', ')}]`,
            );
          const target = shape.values;
          const features = v.t.shape.slice(1).reduce<number>((a, b) => a * (b ?? 0), 1);
          const flattening = target.length === 2 && [0, -1].includes(target[0]!) && [-1, features].includes(target[1]!);
          if (!flattening)
            throw new ConfigError(
              `${where}: reads only a reshape to [N, -1] (a flatten), but got [${[...target].slice(0, 16).join(', ')}]`,
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
        if (args.some((a) => a.layout !== args[0]!.layout || a.t.shape.length !== rank))
          throw new ConfigError(`${where}: reads concatenations of values of one layout and rank only`);
        const a = int('axis', 0, -rank, rank - 1);
        const axis = args[0]!.layout === 'nchw' ? [0, 3, 1, 2][a < 0 ? a + rank : a]! : a < 0 ? a + rank : a;
        if (args.length === 1) return args[0]!;
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
  // one counter per base name, so n nodes of one name cost n lookups, not n² (Note [Limits of an ONNX graph])
  let i = nextSuffix.get(used)?.get(base) ?? 1;
  let name = used.has(base) ? `${base}_${i}` : base;
  while (used.has(name)) name = `${base}_${++i}`;
  used.add(name);
  if (name !== base) {
    if (!nextSuffix.has(used)) nextSuffix.set(used, new Map());
    nextSuffix.get(used)!.set(base, i + 1);
  }
  return name;
}

const nextSuffix = new WeakMap<Set<string>, Map<string, number>>();

/** A value's elements per example must fit one tensor (MAX_ELEMENTS, allocate's limit). */
function checkElements(where: string, shape: readonly number[]): void {
  const n = shape.reduce((a, b) => a * b, 1);
  if (!(n <= MAX_ELEMENTS)) {
    throw new ValueError(
      `${where}: shape [${shape.join(', ')}] holds ${n} elements per example, more than a tensor can hold (${MAX_ELEMENTS})`,
    );
  }
}

function describeValue(v: unknown): string {
  if (v === null || typeof v !== 'object') return String(v);
  return Object.getPrototypeOf(v)?.constructor?.name ?? 'an object';
}
