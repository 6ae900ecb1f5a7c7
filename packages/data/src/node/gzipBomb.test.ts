/**
 * IDX files as untrusted input (Note [Gzip bombs] in readIdxFile.ts): a small .gz must not make the
 * reader allocate far more than its size before it is refused, and an unreadable file is named.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ValueError } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { encodeIdx, parseIdx } from '../idx';
import { gunzipIdx, readIdxFile } from './readIdxFile';

const temp = mkdtempSync(join(tmpdir(), 'sinapse-idx-'));

/** An IDX header promising `shape` of ubyte, then `dataBytes` zero bytes. */
function header(shape: number[], dataBytes: number): Uint8Array {
  const out = new Uint8Array(4 + 4 * shape.length + dataBytes);
  const view = new DataView(out.buffer);
  out[2] = 0x08;
  out[3] = shape.length;
  shape.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d, false);
  });
  return out;
}

describe('gunzipIdx: a .gz may not promise or expand past the limits', () => {
  it('a real file within the limits gunzips', () => {
    const idx = encodeIdx({ dtype: 'ubyte', shape: [3, 2], data: [1, 2, 3, 4, 5, 6] });
    expect(parseIdx(gunzipIdx(gzipSync(idx))).shape).toEqual([3, 2]);
  });

  it('raw bytes pass through unchanged', () => {
    const raw = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 0]);
    expect(gunzipIdx(raw)).toBe(raw);
  });

  it('a trailer promising 4 GB (a damaged length field): zlib notices, the file is named', () => {
    const gz = gzipSync(header([2], 2));
    gz.set([0xff, 0xff, 0xff, 0xff], gz.length - 4);
    expect(() => gunzipIdx(gz, { name: 'x.gz' })).toThrow(ValueError);
    expect(() => gunzipIdx(gz, { name: 'x.gz' })).toThrow(/^gunzipIdx: x\.gz is not a valid gzip file: /);
  });

  it('data after the IDX data, trailer saying so: stopped at the limit, naming what the trailer claims', () => {
    const gz = gzipSync(new Uint8Array([...header([2], 2), ...new Uint8Array(3 * 2 ** 20)]));
    expect(() => gunzipIdx(gz, { name: 'long.gz' })).toThrow(
      /^gunzipIdx: long\.gz says \(in its gzip trailer\) it holds 3,145,738 bytes uncompressed, more than the limit of 1,048,576 bytes/,
    );
  });

  it('a header promising 60000x60000x60000 ubyte in a few bytes: refused from the header alone', () => {
    // the data really is short; only the header lies, and it is read before the rest is inflated
    const gz = gzipSync(header([60000, 60000, 60000], 100));
    expect(() => gunzipIdx(gz, { name: 'bomb.gz', maxBytes: 2 ** 30 })).toThrow(
      /^gunzipIdx: bomb\.gz has a header promising 60000x60000x60000 ubyte = 216,000,000,000,016 bytes, more than the limit/,
    );
  });

  it('a real bomb (8 MiB of zeros in 8 KB, ratio ~1000): zlib stops at the limit', () => {
    const bomb = gzipSync(header([8 * 2 ** 20], 8 * 2 ** 20), { level: 9 });
    expect(bomb.length).toBeLessThan(20_000);
    const before = process.memoryUsage().arrayBuffers;
    expect(() => gunzipIdx(bomb, { name: 'zeros.gz', maxCompressionRatio: 100 })).toThrow(
      /^gunzipIdx: zeros\.gz has a header promising 8388608 ubyte = 8,388,616 bytes, more than the limit of 1,048,576 bytes/,
    );
    // a lying header and trailer: says 2 elements, holds 8 MiB more in a second gzip member, whose
    // length field says 0 (zlib would notice at the end, but stops at the limit long before)
    const lying = new Uint8Array([...gzipSync(header([2], 2)), ...bomb]);
    lying.fill(0, lying.length - 4);
    expect(() => gunzipIdx(lying, { name: 'lying.gz' })).toThrow(
      /^gunzipIdx: lying\.gz expands further, more than the limit of 1,048,576 bytes/,
    );
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(4 * 2 ** 20);
  });

  it('the limits are options', () => {
    const bomb = gzipSync(header([4 * 2 ** 20], 4 * 2 ** 20), { level: 9 });
    expect(parseIdx(gunzipIdx(bomb, { maxCompressionRatio: 2000 })).shape).toEqual([4 * 2 ** 20]);
    expect(() => gunzipIdx(bomb, { maxBytes: -1 })).toThrow(
      'gunzipIdx: maxBytes must be a positive number, but got -1',
    );
    expect(() => gunzipIdx(bomb, { maxByte: 1 } as never)).toThrow(/did you mean 'maxBytes'/);
  });

  it('a truncated gzip header', () => {
    expect(() => gunzipIdx(new Uint8Array([0x1f, 0x8b, 8]), { name: 'cut.gz' })).toThrow(
      'gunzipIdx: cut.gz is not a valid gzip file: 3 bytes, but the smallest gzip file has 20',
    );
  });
});

describe('readIdxFile: a file that cannot be read is named', () => {
  it('missing', () => {
    const path = join(temp, 'nope-idx1-ubyte');
    expect(() => readIdxFile(path)).toThrow(ValueError);
    expect(() => readIdxFile(path)).toThrow(`readIdxFile: ${path} cannot be read: it does not exist`);
  });

  it('a directory', () => {
    const path = join(temp, 'a-dir');
    mkdirSync(path);
    expect(() => readIdxFile(path)).toThrow(`readIdxFile: ${path} cannot be read: it is a directory`);
  });

  it('empty', () => {
    const path = join(temp, 'empty-idx1-ubyte');
    writeFileSync(path, new Uint8Array(0));
    expect(() => readIdxFile(path)).toThrow(/^parseIdx: empty-idx1-ubyte is too short to be an IDX file/);
  });
});
