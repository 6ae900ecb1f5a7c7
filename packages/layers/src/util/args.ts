/**
 * Normalizing and checking layer options, in the constructor, before any data is seen (PyTorch's
 * LPPool accepted a bad norm_type and only failed later in forward: pytorch#134841).
 */
import { ConfigError } from '@sinapse/tensor';

/**
 * The largest size, count, stride or window a layer option may hold: 2^31 − 1, the largest index
 * a typed array of floats can reach on every engine. A saved config is untrusted input (an edited
 * model.json): `units: 1e300` must be refused by name here, not overflow the arithmetic later.
 */
export const MAX_DIM = 2 ** 31 - 1;

/**
 * `2` → `[2, 2]`, `[2, 3]` → `[2, 3]` (Keras `standardize_tuple`, torch `_pair`), checking that both
 * are positive integers: "MaxPooling2D 'pool1': poolSize must be positive integers, but got [0, 2]".
 */
export function pair(who: string, option: string, value: unknown): readonly [number, number] {
  // anything but a number or an array (a missing option is undefined) fails the check below
  const p: unknown[] = typeof value === 'number' ? [value, value] : Array.isArray(value) ? [...value] : [];
  if (p.length !== 2 || !p.every((v) => Number.isInteger(v) && (v as number) > 0 && (v as number) <= MAX_DIM)) {
    const got = Array.isArray(value) ? `[${value.map((v) => JSON.stringify(v)).join(', ')}]` : JSON.stringify(value);
    const cap = p.some((v) => typeof v === 'number' && v > MAX_DIM) ? ` ≤ ${MAX_DIM}` : '';
    throw new ConfigError(`${who}: ${option} must be positive integers${cap}, but got ${got}`);
  }
  return [p[0] as number, p[1] as number] as const;
}

/** A boolean option with its default, e.g. useBias: a saved "yes" is refused, not taken as true. */
export function bool(who: string, option: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new ConfigError(`${who}: ${option} must be true or false, but got ${JSON.stringify(value)}`);
  }
  return value;
}

/** A positive integer option, e.g. filters or units. */
export function positiveInt(who: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0 || value > MAX_DIM) {
    const cap = typeof value === 'number' && value > MAX_DIM ? ` ≤ ${MAX_DIM}` : '';
    throw new ConfigError(`${who}: ${option} must be a positive integer${cap}, but got ${JSON.stringify(value)}`);
  }
  return value;
}

/** One of a fixed set of strings, e.g. padding 'valid' | 'same'. */
export function oneOf<T extends string>(who: string, option: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new ConfigError(
      `${who}: ${option} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, but got ${JSON.stringify(value)}`,
    );
  }
  return value as T;
}

/** A number in [low, high) (or [low, high] when `inclusive`), e.g. a dropout rate. */
export function inRange(
  who: string,
  option: string,
  value: unknown,
  low: number,
  high: number,
  inclusive = false,
): number {
  const ok = typeof value === 'number' && value >= low && (inclusive ? value <= high : value < high);
  if (!ok) {
    throw new ConfigError(
      `${who}: ${option} must be a number in [${low}, ${high}${inclusive ? ']' : ')'}, but got ${JSON.stringify(value)}`,
    );
  }
  return value as number;
}

/**
 * Keras's positional form of a layer's leading options: `new Dense(10, { activation: 'relu' })` is
 * `new Dense({ units: 10, activation: 'relu' })`, `new Conv2D(32, 3)` is `{ filters: 32, kernelSize: 3 }`.
 * `args` are the constructor's arguments; when the first is not an options object, the first
 * `names.length` of them are those options, and the one after (if any) the other options.
 * @throws ConfigError when an option is given both positionally and in the options object.
 */
export function positionalOptions<O extends object>(
  layer: string,
  args: readonly unknown[],
  names: readonly string[],
): O {
  const first = args[0];
  const isOptions = typeof first === 'object' && first !== null && !Array.isArray(first);
  if (first === undefined || isOptions) return (first ?? {}) as O;
  const rest = (args[names.length] ?? {}) as Record<string, unknown>;
  const options: Record<string, unknown> = { ...rest };
  names.forEach((name, i) => {
    if (args[i] === undefined) return;
    if (name in rest) {
      throw new ConfigError(
        `${layer}: ${name} is given twice, ${JSON.stringify(args[i])} as an argument and ${JSON.stringify(rest[name])} in the options`,
      );
    }
    options[name] = args[i];
  });
  return options as O;
}
