/**
 * Typed errors, so callers and tests can tell a wrong shape from a wrong value.
 *
 * Message format: `<op>: <rule>, but got <values>.` Every number the check used is named in the
 * message, so a student can act on it without reading the source.
 */

/** A tensor has the wrong rank or shape for the op that received it. */
export class ShapeError extends Error {
  /** `'ShapeError'`: printed before the message, and a check that survives bundling (`e.name === 'ShapeError'`). */
  override name = 'ShapeError';
}

/** An argument has the wrong value: a negative stride, an unknown padding mode, ragged input... */
export class ValueError extends Error {
  /** `'ValueError'`: printed before the message, and a check that survives bundling (`e.name === 'ValueError'`). */
  override name = 'ValueError';
}

/** A layer or model option is invalid (raised by constructors, before any data is seen). */
export class ConfigError extends Error {
  /** `'ConfigError'`: printed before the message, and a check that survives bundling (`e.name === 'ConfigError'`). */
  override name = 'ConfigError';
}

type ErrorClass = new (message: string) => Error;

/**
 * Throws `new ErrorType(message())` unless `cond` holds. The message is a thunk so that passing
 * checks, which are nearly all of them, build no strings (tfjs `util.assert` does the same).
 */
export function assert(cond: boolean, message: () => string, ErrorType: ErrorClass = ValueError): asserts cond {
  if (!cond) throw new ErrorType(message());
}

/** `assert` that throws a {@link ShapeError}. */
export function assertShape(cond: boolean, message: () => string): asserts cond {
  if (!cond) throw new ShapeError(message());
}
