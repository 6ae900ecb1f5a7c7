/**
 * Turning a picture of a digit into what the model was trained on: 28x28 grey pixels, a white
 * digit on a black background, standardized with the training set's mean and std.
 *
 * Decoders: PNG through the `pngjs` package, PGM (the simplest image format there is: a text
 * header and then the grey values) by hand.
 */
import { Tensor } from '@sinapse/tensor';
import { PNG } from 'pngjs';

/** A grey-scale image: `pixels[r·width + c]` in 0 (black) .. 255 (white). */
export interface GreyImage {
  width: number;
  height: number;
  pixels: Float32Array;
}

/**
 * Decodes a PNG (any colour type; pngjs hands back 8-bit RGBA) to grey with the usual luma weights
 * 0.299·R + 0.587·G + 0.114·B. Transparent pixels are blended over white, as a viewer shows them.
 */
export function decodePng(bytes: Uint8Array): GreyImage {
  const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const { width, height, data } = png;
  const pixels = new Float32Array(width * height);
  for (let i = 0; i < pixels.length; i++) {
    const [r, g, b, a] = [data[4 * i]!, data[4 * i + 1]!, data[4 * i + 2]!, data[4 * i + 3]!];
    const luma = 0.299 * r + 0.587 * g + 0.114 * b;
    pixels[i] = (luma * a + 255 * (255 - a)) / 255;
  }
  return { width, height, pixels };
}

/**
 * Parses a PGM file, P2 (the values as decimal text) or P5 (as bytes). The header is four
 * whitespace-separated fields, `P5 width height maxval`, with `#` comments running to the end of a
 * line; in P5 a single whitespace byte follows maxval, then the raster (2 bytes per value,
 * big-endian, when maxval > 255). Values are rescaled from 0..maxval to 0..255.
 * @throws Error naming what is wrong: the magic number, a header field that is not a decimal
 *   integer in range, a raster with fewer values than width·height, or a value outside 0..maxval.
 */
export function parsePgm(bytes: Uint8Array): GreyImage {
  let pos = 0;
  const isSpace = (b: number) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
  /** The next header or P2 token, skipping whitespace and comments. */
  const token = (): string => {
    for (;;) {
      while (pos < bytes.length && isSpace(bytes[pos]!)) pos++;
      if (bytes[pos] !== 0x23) break; // '#': a comment up to the end of the line
      while (pos < bytes.length && bytes[pos] !== 0x0a) pos++;
    }
    const start = pos;
    while (pos < bytes.length && !isSpace(bytes[pos]!)) pos++;
    return new TextDecoder().decode(bytes.subarray(start, pos));
  };
  const magic = token();
  if (magic !== 'P2' && magic !== 'P5') {
    throw new Error(`parsePgm: expected the magic number P2 or P5 at the start, but got '${magic.slice(0, 8)}'`);
  }
  // Decimal digits only: Number() would also take '', '0x1C' and '1e3'.
  const integer = (text: string): number => (/^\d+$/.test(text) ? Number(text) : Number.NaN);
  const [width, height, maxval] = [token(), token(), token()].map(integer) as [number, number, number];
  if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0)) {
    throw new Error(`parsePgm: width and height must be positive integers, but got ${width} and ${height}`);
  }
  if (!(Number.isInteger(maxval) && maxval > 0 && maxval < 65536)) {
    throw new Error(`parsePgm: maxval must be an integer in 1..65535, but got ${maxval}`);
  }
  const n = width * height;
  const pixels = new Float32Array(n);
  const scale = 255 / maxval;
  const checkRange = (value: number, i: number) => {
    if (value > maxval) {
      throw new Error(`parsePgm: value ${i} of the raster is ${value}, outside 0..maxval = 0..${maxval}`);
    }
  };
  if (magic === 'P2') {
    for (let i = 0; i < n; i++) {
      const text = token();
      if (text === '') {
        throw new Error(`parsePgm: the P2 raster has ${i} of the ${n} values ${width}x${height} needs`);
      }
      const value = integer(text);
      if (Number.isNaN(value)) {
        throw new Error(
          `parsePgm: value ${i} of the P2 raster is '${text.slice(0, 12)}', not an integer in 0..maxval = 0..${maxval}`,
        );
      }
      checkRange(value, i);
      pixels[i] = value * scale;
    }
  } else {
    pos++; // the single whitespace byte after maxval
    const size = maxval > 255 ? 2 : 1;
    const available = Math.max(0, bytes.length - pos);
    if (available < n * size) {
      throw new Error(
        `parsePgm: the P5 raster needs ${n * size} bytes for ${width}x${height}, but the file has ${available}`,
      );
    }
    for (let i = 0; i < n; i++) {
      const p = pos + i * size;
      const value = size === 2 ? (bytes[p]! << 8) | bytes[p + 1]! : bytes[p]!;
      checkRange(value, i);
      pixels[i] = value * scale;
    }
  }
  return { width, height, pixels };
}

/**
 * Resizes by area averaging: output pixel (r, c) is the mean of the source area it covers,
 * counting partly covered source pixels by the fraction covered. Shrinking averages (no aliasing);
 * enlarging repeats. Done one axis at a time: rows first, then columns.
 */
export function resize(image: GreyImage, height: number, width: number): GreyImage {
  if (image.width === width && image.height === height) return image;
  // resize each row from image.width to width columns: [image.height, width]
  const rows = new Float32Array(image.height * width);
  for (let r = 0; r < image.height; r++) {
    resize1d(image.pixels.subarray(r * image.width), image.width, 1, rows.subarray(r * width), width, 1);
  }
  // then each column from image.height to height rows: [height, width]
  const out = new Float32Array(height * width);
  for (let c = 0; c < width; c++) resize1d(rows.subarray(c), image.height, width, out.subarray(c), height, width);
  return { width, height, pixels: out };
}

/** n values of src (every srcStride-th) to m values of out: out[i] = mean of src over [i·s, (i+1)·s), s = n/m. */
function resize1d(
  src: Float32Array,
  n: number,
  srcStride: number,
  out: Float32Array,
  m: number,
  outStride: number,
): void {
  const s = n / m;
  for (let i = 0; i < m; i++) {
    const lo = i * s;
    const hi = (i + 1) * s;
    let sum = 0;
    for (let j = Math.floor(lo); j < Math.min(n, Math.ceil(hi)); j++) {
      const overlap = Math.min(hi, j + 1) - Math.max(lo, j);
      sum += overlap * src[j * srcStride]!;
    }
    out[i * outStride] = sum / s;
  }
}

/**
 * The model's input for one picture, [1, 28, 28, 1]:
 *   1. resize to 28x28 by area averaging (if it is not 28x28 already);
 *   2. invert if the background is light: MNIST digits are white on black, and a digit scanned
 *      or drawn on paper is the opposite. "Background" is the mean of the border pixels;
 *   3. standardize: (pixel/255 − mean) / std, the map the training data went through.
 * (MNIST digits are also centred by their centre of mass in a 20x20 box; a digit drawn near an
 * edge or very small will be read less reliably.)
 */
export function toModelInput(
  image: GreyImage,
  normalization: { mean: number; std: number },
): {
  input: Tensor;
  inverted: boolean;
} {
  const small = resize(image, 28, 28);
  let border = 0;
  let count = 0;
  for (let r = 0; r < 28; r++) {
    for (let c = 0; c < 28; c++) {
      if (r === 0 || r === 27 || c === 0 || c === 27) {
        border += small.pixels[r * 28 + c]!;
        count++;
      }
    }
  }
  const inverted = border / count > 127.5;
  const x = new Float32Array(28 * 28);
  for (let i = 0; i < x.length; i++) {
    const v = inverted ? 255 - small.pixels[i]! : small.pixels[i]!;
    x[i] = (v / 255 - normalization.mean) / normalization.std;
  }
  return { input: new Tensor(x, [1, 28, 28, 1]), inverted };
}
