import { describe, expect, it } from 'vitest';
import { parsePgm } from './image';

const pgm = (text: string) => new TextEncoder().encode(text);
/** A P5 file: the header, then the raster bytes. */
const p5 = (header: string, raster: number[]) => Uint8Array.from([...pgm(header), ...raster]);

describe('parsePgm', () => {
  it('a P2 raster with 400 of the 784 values is an error, not zero-padded', () => {
    const values = Array.from({ length: 400 }, () => '0').join(' ');
    expect(() => parsePgm(pgm(`P2\n28 28\n255\n${values}\n`))).toThrow(
      'parsePgm: the P2 raster has 400 of the 784 values 28x28 needs',
    );
    expect(() => parsePgm(pgm('P2\n2 2\n255\n1 2 3'))).toThrow(
      'parsePgm: the P2 raster has 3 of the 4 values 2x2 needs',
    );
  });

  it('P2 values above maxval or negative are errors', () => {
    expect(() => parsePgm(pgm('P2\n2 1\n15\n3 16\n'))).toThrow(
      'parsePgm: value 1 of the raster is 16, outside 0..maxval = 0..15',
    );
    expect(() => parsePgm(pgm('P2\n2 1\n15\n-1 3\n'))).toThrow(
      "parsePgm: value 0 of the P2 raster is '-1', not an integer in 0..maxval = 0..15",
    );
    expect(() => parsePgm(pgm('P2\n2 1\n15\n1.5 3\n'))).toThrow(/value 0 of the P2 raster is '1.5'/);
  });

  it('P5: a truncated raster and a byte above maxval are errors', () => {
    expect(() => parsePgm(p5('P5\n2 2\n255\n', [1, 2, 3]))).toThrow(
      'parsePgm: the P5 raster needs 4 bytes for 2x2, but the file has 3',
    );
    expect(() => parsePgm(pgm('P5\n2 2\n255'))).toThrow('the P5 raster needs 4 bytes for 2x2, but the file has 0');
    expect(() => parsePgm(p5('P5\n2 1\n100\n', [100, 101]))).toThrow(
      'parsePgm: value 1 of the raster is 101, outside 0..maxval = 0..100',
    );
    expect(() => parsePgm(p5('P5\n1 1\n300\n', [0x01]))).toThrow(
      'the P5 raster needs 2 bytes for 1x1, but the file has 1',
    );
  });

  it('header fields must be decimal integers: 0x1C is not 28', () => {
    expect(() => parsePgm(pgm('P2\n0x1C 28\n255\n'))).toThrow(
      'parsePgm: width and height must be positive integers, but got NaN and 28',
    );
    expect(() => parsePgm(pgm('P2\n1 1\n2.5e2\n0\n'))).toThrow(
      'parsePgm: maxval must be an integer in 1..65535, but got NaN',
    );
  });

  it('still reads a valid P2 at full maxval and a 16-bit P5', () => {
    expect(Array.from(parsePgm(pgm('P2\n2 1\n15\n0 15')).pixels)).toEqual([0, 255]);
    expect(Array.from(parsePgm(p5('P5\n1 1\n65535\n', [0xff, 0xff])).pixels)).toEqual([255]);
  });
});
