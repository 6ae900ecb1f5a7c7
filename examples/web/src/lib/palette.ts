/**
 * Colours: the Okabe–Ito palette, distinguishable with every common colour-vision deficiency.
 * Curves also differ by dash (training solid, validation dashed), so colour is never the only cue.
 */
export const COLORS = {
  blue: '#0072B2',
  orange: '#E69F00',
  vermillion: '#D55E00',
  green: '#009E73',
  sky: '#56B4E9',
  purple: '#CC79A7',
} as const;

type Rgb = [number, number, number];

/** Piecewise-linear colour map through `stops` (t in [0, 1]). */
function ramp(stops: Rgb[]): (t: number) => Rgb {
  return (t) => {
    const x = Math.min(1, Math.max(0, t)) * (stops.length - 1);
    const i = Math.min(stops.length - 2, Math.floor(x));
    const f = x - i;
    const a = stops[i]!;
    const b = stops[i + 1]!;
    return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
  };
}

/** Sequential map for activations (dark blue → teal → yellow, close to cividis: monotone in lightness). */
export const sequential = ramp([
  [0, 32, 77],
  [65, 77, 107],
  [124, 123, 120],
  [188, 175, 111],
  [255, 234, 70],
]);

/** Diverging map for weights: blue (negative), white (0), orange (positive). */
export const diverging = ramp([
  [0, 114, 178],
  [86, 180, 233],
  [247, 247, 247],
  [240, 190, 80],
  [213, 94, 0],
]);
