import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { constants, gunzipSync } from 'node:zlib';
import { checkOptionNames, ValueError } from '@sinapse/tensor';
import { type IdxArray, parseIdx, readIdxHeader } from '../idx';

/**
 * Limits on what a file may expand to, so that a small file from anywhere cannot make the reader
 * allocate gigabytes (Note [Gzip bombs]).
 */
export interface ReadIdxOptions {
  /** The most bytes a file may hold once uncompressed. Default 2^30 (1 GiB; MNIST's largest file is 47 MB). */
  maxBytes?: number;
  /**
   * The most a .gz file may expand, as a multiple of its own size (files below 1 MiB uncompressed
   * are always allowed). Default 100: MNIST's files expand 2 to 8 times.
   */
  maxCompressionRatio?: number;
}

const READ_IDX_OPTIONS = ['maxBytes', 'maxCompressionRatio'] as const satisfies readonly (keyof ReadIdxOptions)[];

/** Small files may expand without a ratio check: a constant image compresses a thousandfold. */
const ALWAYS_ALLOWED = 2 ** 20;

/**
 * Reads one IDX file from disk, raw or gzip-compressed (the way MNIST is usually downloaded).
 * Compression is recognised by the gzip signature 1f 8b at the start, not by the file name.
 *
 * @param options limits on the uncompressed size (see {@link ReadIdxOptions})
 * @throws ValueError naming the file if it cannot be read (missing, a directory, no permission),
 *   if it starts like gzip but does not gunzip or would expand past the limits, or (from
 *   {@link parseIdx}) if the content is not a valid IDX file.
 * @example
 * const { shape } = readIdxFile('data/t10k-labels-idx1-ubyte.gz');
 * shape; // [10000]
 */
export function readIdxFile(path: string, options: ReadIdxOptions = {}): IdxArray {
  return parseIdx(readIdxBytes(path, 'readIdxFile', options), { name: basename(path) });
}

/**
 * The uncompressed bytes of an IDX file, gunzipping if it starts with the gzip signature.
 * @param caller the function name that starts error messages. Default 'readIdxBytes'.
 * @throws ValueError naming the file if it cannot be read, or (see {@link gunzipIdx}) does not
 *   gunzip: `loadMnist: /dir/train-images-idx3-ubyte.gz is not a valid gzip file: unexpected end of file`.
 */
export function readIdxBytes(path: string, caller = 'readIdxBytes', options: ReadIdxOptions = {}): Uint8Array {
  return gunzipIdx(readOrThrow(path, caller), { ...options, name: path, caller });
}

/**
 * Note [Gzip bombs]: a .gz file can expand about a thousandfold (deflate's limit is 1032:1), and
 * a gzip member's trailer only says its size modulo 2^32, so neither the file's size nor its
 * trailer bounds what gunzipping it allocates. The limit is min(maxBytes, max(1 MiB,
 * maxCompressionRatio × the file's size)), enforced twice:
 *   1. before the file is inflated: the IDX header, inflated alone from the first bytes, must
 *      promise at most that many bytes (what parseIdx would then check against the real length);
 *   2. zlib itself stops at the limit (maxOutputLength), for a header that lies, several gzip
 *      members, or data after the IDX data. Nothing bigger than the limit is ever allocated.
 */

/**
 * The bytes of an IDX file, gunzipped if they start with the gzip signature (1f 8b), within the
 * limits of Note [Gzip bombs]. Raw bytes come back as they are.
 * @param options the limits, `name` (the file, for messages) and `caller` (how messages start).
 * @throws ValueError naming the file for a .gz that is truncated, corrupt, or would expand past the limits.
 * @example
 * const bytes = gunzipIdx(readFileSync('t10k-labels-idx1-ubyte.gz'), { name: 't10k-labels-idx1-ubyte.gz' });
 * parseIdx(bytes).shape; // [10000]
 */
export function gunzipIdx(
  bytes: Uint8Array,
  options: ReadIdxOptions & { name?: string; caller?: string } = {},
): Uint8Array {
  checkOptionNames('gunzipIdx', options, [...READ_IDX_OPTIONS, 'name', 'caller'], ValueError);
  const { name = 'input', caller = 'gunzipIdx' } = options;
  const maxBytes = checkLimit(caller, 'maxBytes', options.maxBytes ?? 2 ** 30);
  const ratio = checkLimit(caller, 'maxCompressionRatio', options.maxCompressionRatio ?? 100);
  if (!(bytes[0] === 0x1f && bytes[1] === 0x8b)) return bytes;
  const where = `${caller}: ${name}`;
  // 10 bytes of gzip header, at least 2 of deflate data, 8 of trailer (RFC 1952)
  if (bytes.length < 20) {
    throw new ValueError(`${where} is not a valid gzip file: ${bytes.length} bytes, but the smallest gzip file has 20`);
  }
  const limit = Math.min(maxBytes, Math.max(ALWAYS_ALLOWED, Math.floor(ratio * bytes.length)));
  const refuse = (promise: string) =>
    new ValueError(
      `${where} ${promise}, more than the limit of ${count(limit)} bytes ` +
        `(min(maxBytes ${count(maxBytes)}, max(1 MiB, maxCompressionRatio ${ratio} × its ${count(bytes.length)} bytes))); ` +
        'raise maxBytes or maxCompressionRatio if you trust the file',
    );
  // 1. the IDX header, at most 4 + 4·255 bytes, from the first compressed bytes (each inflates to
  // at most 1032): 64 of them hold a real file's header; 1,100 hold any header (it inflates ≥ 1:1 at worst)
  let head = inflatePrefix(bytes.subarray(0, 64));
  const needs = (h: Uint8Array | null) => h !== null && (h.length < 4 || h.length < 4 + 4 * h[3]!);
  if (needs(head) && bytes.length > 64) head = inflatePrefix(bytes.subarray(0, 1100));
  if (head !== null && head.length >= 4 && head[0] === 0 && head[1] === 0 && head.length >= 4 + 4 * head[3]!) {
    const header = readIdxHeader(head, `parseIdx: ${name}`);
    const promised = header.headerBytes + header.dataBytes;
    if (promised > limit) {
      throw refuse(`has a header promising ${header.shape.join('x')} ${header.dtype} = ${count(promised)} bytes`);
    }
  }
  // 2. zlib stops at the limit
  try {
    return gunzipSync(bytes, { maxOutputLength: Math.max(1, limit) });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE') {
      throw new ValueError(`${where} is not a valid gzip file: ${(err as Error).message}`);
    }
    // the trailer's ISIZE, little-endian in the last 4 bytes, says what the file claimed
    const n = bytes.length;
    const isize = (bytes[n - 4]! | (bytes[n - 3]! << 8) | (bytes[n - 2]! << 16) | (bytes[n - 1]! << 24)) >>> 0;
    throw refuse(
      isize > limit ? `says (in its gzip trailer) it holds ${count(isize)} bytes uncompressed` : 'expands further',
    );
  }
}

/** What the first bytes of a gzip stream inflate to (null if zlib refuses them): Z_SYNC_FLUSH keeps a partial result. */
function inflatePrefix(prefix: Uint8Array): Uint8Array | null {
  try {
    return gunzipSync(prefix, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: 2 ** 21 });
  } catch {
    return null; // the full inflate below reports what is wrong
  }
}

function checkLimit(caller: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !(value > 0)) {
    throw new ValueError(`${caller}: ${option} must be a positive number, but got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Reads a file, turning the file system's errors (ENOENT, EISDIR, …) into messages naming the path. */
function readOrThrow(path: string, caller: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'it does not exist'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES' || code === 'EPERM'
            ? 'permission denied'
            : (err as Error).message;
    throw new ValueError(`${caller}: ${path} cannot be read: ${why}`);
  }
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}
