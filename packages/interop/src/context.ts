/**
 * Errors thrown by the layers and models a reader builds (a ShapeError from Conv2D, a ConfigError from
 * model()) know the layer, not the file: a reader runs that code through `inContext`, which puts the
 * file and the field first in their messages. Only the typed errors are renamed; anything else is a bug
 * and goes up as it is.
 */
const TYPED = new Set(['ConfigError', 'ValueError', 'ShapeError']);

/** `fn()`, with `where` ("fromOnnx: model.onnx: graph.node[4] 'conv1' (Conv)") first in its typed errors. */
export function inContext<T>(where: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof Error && TYPED.has(err.name) && !err.message.startsWith(where)) {
      err.message = `${where}: ${err.message}`;
    }
    throw err;
  }
}
