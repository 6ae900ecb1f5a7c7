/**
 * The IDX file format, in which MNIST is distributed (http://yann.lecun.com/exdb/mnist/, "FILE
 * FORMATS FOR THE MNIST DATABASE"). An IDX file is a header followed by one flat array:
 *
 *   bytes 0-1   0x00 0x00          magic, part 1: always zero
 *   byte  2     dtype code         0x08 ubyte, 0x09 sbyte, 0x0B short, 0x0C int, 0x0D float, 0x0E double
 *   byte  3     ndim               the number of dimensions
 *   4·ndim      dimensions         big-endian uint32 each, outermost first
 *   the rest    data               prod(dimensions) elements, big-endian, row-major
 *
 * So `train-images-idx3-ubyte` starts 00 00 08 03 | 00 00 EA 60 | 00 00 00 1C | 00 00 00 1C:
 * ubyte, 3 dimensions, 60000 x 28 x 28, then 47,040,000 pixel bytes.
 *
 * This file only sees bytes (a Uint8Array or ArrayBuffer), so it runs in the browser too; reading
 * files from disk and gunzipping them lives in `src/node/`.
 */

import { checkOptionNames, ValueError } from '@sinapse/tensor';

/** The element types an IDX file can hold, named as in the MNIST page. */
export type IdxDType = 'ubyte' | 'sbyte' | 'short' | 'int' | 'float' | 'double';

/** The typed array {@link parseIdx} returns for each {@link IdxDType}. */
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A parsed IDX file: the element type, the dimensions from the header, and the data, row-major. */
export interface IdxArray {
  /** The element type, from byte 2 of the header ('ubyte' for MNIST's pixels and labels). */
  dtype: IdxDType;
  /** The dimensions from the header, outermost first, e.g. [60000, 28, 28]. */
  shape: number[];
  /** prod(shape) elements, in native byte order. */
  data: IdxData;
}

/** Per dtype: its code in byte 2 of the header and the size of one element in bytes. */
const DTYPES: Record<IdxDType, { code: number; bytes: number }> = {
  ubyte: { code: 0x08, bytes: 1 },
  sbyte: { code: 0x09, bytes: 1 },
  short: { code: 0x0b, bytes: 2 },
  int: { code: 0x0c, bytes: 4 },
  float: { code: 0x0d, bytes: 4 },
  double: { code: 0x0e, bytes: 8 },
};

const DTYPE_BY_CODE = new Map<number, IdxDType>(
  (Object.keys(DTYPES) as IdxDType[]).map((dtype) => [DTYPES[dtype].code, dtype]),
);

/** Options for {@link parseIdx}. */
export interface ParseIdxOptions {
  /** What to call the bytes in error messages, usually the file name. Default 'input'. */
  name?: string;
}

/**
 * Parses the bytes of an IDX file (header, then big-endian data) into a typed array and its shape.
 *
 * Every header field is checked against the byte length, so a truncated download, a file that is
 * still gzip-compressed or a file in some other format fails here with a message that says which
 * file and what is wrong, instead of producing garbage images later.
 *
 * @param bytes the whole file
 * @param options `name` for error messages
 * @returns `{ dtype, shape, data }`; `data` is a fresh array (it never shares memory with `bytes`)
 * @throws ValueError if the magic number, the dtype code or the dimension count is invalid, or if
 *   the file holds fewer or more data bytes than its header promises.
 * @example
 * const { dtype, shape, data } = parseIdx(new Uint8Array([0, 0, 0x08, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6]));
 * console.log(dtype, shape, data); // ubyte [ 2, 3 ] Uint8Array(6) [ 1, 2, 3, 4, 5, 6 ]
 */
export function parseIdx(bytes: Uint8Array | ArrayBuffer, options: ParseIdxOptions = {}): IdxArray {
  checkOptionNames('parseIdx', options, ['name'], ValueError);
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const where = `parseIdx: ${options.name ?? 'input'}`;
  const header = readIdxHeader(u8, where);
  const { dtype, shape, headerBytes, dataBytes: expected } = header;
  const actual = u8.length - headerBytes;
  if (actual !== expected) {
    const promise = `the header says ${shape.join('x')} ${dtype} = ${groupThousands(expected)} data bytes`;
    throw new ValueError(
      actual < expected
        ? `${where} is truncated: ${promise}, but only ${groupThousands(actual)} follow the ${headerBytes}-byte header`
        : `${where} has ${groupThousands(actual - expected)} extra bytes: ${promise}, but ${groupThousands(actual)} follow the ${headerBytes}-byte header`,
    );
  }
  const view = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
  return { dtype, shape, data: readData(u8, view, headerBytes, dtype, expected / DTYPES[dtype].bytes) };
}

/** What the header of an IDX file says, before any data is read: see {@link readIdxHeader}. */
export interface IdxHeader {
  /** The element type, from the header's third byte (0x08 uint8 ... 0x0e float64). */
  dtype: IdxDType;
  /** The dimensions, one 32-bit big-endian count each: [60000, 28, 28] for MNIST's training images. */
  shape: number[];
  /** 4 + 4·ndim */
  headerBytes: number;
  /** prod(shape) · bytes per element: how many bytes must follow the header. */
  dataBytes: number;
}

/**
 * Reads and checks the header at the start of an IDX file (magic, dtype, dimensions), and works
 * out how many data bytes it promises, without reading or allocating any data: what a reader needs
 * to refuse a file that promises more than it can hold before inflating or copying it.
 * @param bytes the start of the file: at least the header (4 + 4·ndim bytes)
 * @param where how messages start ("parseIdx: train-images-idx3-ubyte")
 * @throws ValueError if the magic number, the dtype code or the dimension count is invalid, or the
 *   bytes end inside the header.
 */
export function readIdxHeader(bytes: Uint8Array, where = 'readIdxHeader'): IdxHeader {
  const u8 = bytes;
  if (u8.length < 4) {
    throw new ValueError(
      `${where} is too short to be an IDX file: it has ${u8.length} bytes, but the magic number alone takes 4`,
    );
  }
  const view = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
  const magic = view.getUint32(0, false);
  if (u8[0] !== 0 || u8[1] !== 0) {
    // 1f 8b is the gzip signature (RFC 1952): the most common way to get here is an unzipped .gz.
    const hint =
      u8[0] === 0x1f && u8[1] === 0x8b
        ? 'is it still gzip-compressed? use loadMnist, which decompresses .gz'
        : 'an IDX file starts with two zero bytes, then a dtype code and a dimension count';
    throw new ValueError(`${where}: bad magic number ${hex(magic, 8)}: not an IDX file (${hint})`);
  }
  const code = u8[2]!;
  const dtype = DTYPE_BY_CODE.get(code);
  if (dtype === undefined) {
    const known = [...DTYPE_BY_CODE].map(([c, name]) => `${hex(c, 2)} (${name})`).join(', ');
    throw new ValueError(
      `${where}: unknown dtype code ${hex(code, 2)} in magic number ${hex(magic, 8)}: expected one of ${known}`,
    );
  }
  const ndim = u8[3]!;
  if (ndim === 0) {
    throw new ValueError(
      `${where}: the header says 0 dimensions (byte 3 of magic number ${hex(magic, 8)}), but an IDX file needs at least 1`,
    );
  }
  const headerBytes = 4 + 4 * ndim;
  if (u8.length < headerBytes) {
    throw new ValueError(
      `${where} is truncated: the header says ${ndim} dimensions, which need ${headerBytes} header bytes, but the file has only ${u8.length}`,
    );
  }
  const shape: number[] = [];
  let size = 1;
  for (let d = 0; d < ndim; d++) {
    const dim = view.getUint32(4 + 4 * d, false);
    shape.push(dim);
    size *= dim; // up to 255 factors below 2^32: may round, or reach Infinity, but never wraps to a small number
  }
  return { dtype, shape, headerBytes, dataBytes: size * DTYPES[dtype].bytes };
}

/**
 * Encodes an array as IDX bytes: the inverse of {@link parseIdx}. Handy for tests and for tools
 * that write MNIST-format files.
 *
 * @param array `{ dtype, shape, data }`; `data` may be any array of numbers with prod(shape) elements
 * @throws ValueError if the shape and the data length disagree, or the shape has no dimensions or
 *   more than 255 of them, or a dimension is not an integer in [0, 2^32).
 * @example
 * const bytes = encodeIdx({ dtype: 'ubyte', shape: [2, 3], data: [1, 2, 3, 4, 5, 6] });
 * parseIdx(bytes).shape; // [2, 3]
 */
export function encodeIdx(array: { dtype: IdxDType; shape: readonly number[]; data: ArrayLike<number> }): Uint8Array {
  const { dtype, shape, data } = array;
  const spec = DTYPES[dtype];
  if (spec === undefined) {
    throw new ValueError(`encodeIdx: unknown dtype '${dtype}': expected one of ${Object.keys(DTYPES).join(', ')}`);
  }
  if (shape.length < 1 || shape.length > 255) {
    throw new ValueError(`encodeIdx: an IDX file has 1 to 255 dimensions, but got shape [${shape.join(', ')}]`);
  }
  let size = 1;
  for (const dim of shape) {
    if (!Number.isInteger(dim) || dim < 0 || dim > 0xffffffff) {
      throw new ValueError(`encodeIdx: dimensions must be integers in [0, 2^32), but got shape [${shape.join(', ')}]`);
    }
    size *= dim;
  }
  if (data.length !== size) {
    throw new ValueError(`encodeIdx: shape [${shape.join(', ')}] needs ${size} elements, but data has ${data.length}`);
  }
  const headerBytes = 4 + 4 * shape.length;
  const out = new Uint8Array(headerBytes + size * spec.bytes);
  const view = new DataView(out.buffer);
  out[2] = spec.code;
  out[3] = shape.length;
  for (let d = 0; d < shape.length; d++) view.setUint32(4 + 4 * d, shape[d]!, false);
  writeData(view, headerBytes, dtype, data);
  return out;
}

/** Reads `size` big-endian elements of `dtype` starting at `offset` into a fresh typed array. */
function readData(u8: Uint8Array, view: DataView, offset: number, dtype: IdxDType, size: number): IdxData {
  switch (dtype) {
    // new Uint8Array(view) copies; u8.slice would not when u8 is a Node Buffer (Buffer.slice is subarray).
    case 'ubyte':
      return new Uint8Array(u8.subarray(offset, offset + size));
    case 'sbyte':
      return new Int8Array(new Uint8Array(u8.subarray(offset, offset + size)).buffer);
    case 'short': {
      const out = new Int16Array(size);
      for (let i = 0; i < size; i++) out[i] = view.getInt16(offset + 2 * i, false);
      return out;
    }
    case 'int': {
      const out = new Int32Array(size);
      for (let i = 0; i < size; i++) out[i] = view.getInt32(offset + 4 * i, false);
      return out;
    }
    case 'float': {
      const out = new Float32Array(size);
      for (let i = 0; i < size; i++) out[i] = view.getFloat32(offset + 4 * i, false);
      return out;
    }
    case 'double': {
      const out = new Float64Array(size);
      for (let i = 0; i < size; i++) out[i] = view.getFloat64(offset + 8 * i, false);
      return out;
    }
  }
}

/** Writes `data` as big-endian elements of `dtype` starting at `offset`. */
function writeData(view: DataView, offset: number, dtype: IdxDType, data: ArrayLike<number>): void {
  const n = data.length;
  switch (dtype) {
    case 'ubyte':
      for (let i = 0; i < n; i++) view.setUint8(offset + i, data[i]!);
      return;
    case 'sbyte':
      for (let i = 0; i < n; i++) view.setInt8(offset + i, data[i]!);
      return;
    case 'short':
      for (let i = 0; i < n; i++) view.setInt16(offset + 2 * i, data[i]!, false);
      return;
    case 'int':
      for (let i = 0; i < n; i++) view.setInt32(offset + 4 * i, data[i]!, false);
      return;
    case 'float':
      for (let i = 0; i < n; i++) view.setFloat32(offset + 4 * i, data[i]!, false);
      return;
    case 'double':
      for (let i = 0; i < n; i++) view.setFloat64(offset + 8 * i, data[i]!, false);
      return;
  }
}

/** `0x1f8b0800` style: lower-case hex, zero-padded to `digits`. */
function hex(value: number, digits: number): string {
  return `0x${value.toString(16).padStart(digits, '0')}`;
}

/** 47040000 → '47,040,000' (without Intl, whose output depends on the locale). */
function groupThousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
