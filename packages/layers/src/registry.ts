/**
 * Layers by class name, so a model saved as JSON can be rebuilt: `serializeLayer(layer)` gives
 * `{ className: 'Conv2D', config: {...} }` and `deserializeLayer` turns it back into a layer
 * (Keras `serialize` / `deserialize`, TF.js `SerializationMap`).
 *
 * Every built-in layer module registers its class as it is imported (`registerLayer(Conv2D)` at its
 * bottom), so importing the package has a side effect: package.json says `"sideEffects": true`.
 * With `false`, a bundler may drop a bare `import '@sinapse/layers'` (esbuild does), and a model
 * loaded from JSON would then find no layer classes. It costs no tree shaking: the registrations
 * keep every layer class alive in any case.
 */
import { ConfigError } from '@sinapse/tensor';
import type { Layer, LayerConfig } from './Layer';

/** What `registerLayer` takes: a layer class, with its name and the way back from a config. */
export interface LayerClass {
  /** The name saved models use for it ('Conv2D'); one class per name. */
  readonly className: string;
  /** A new layer from `getConfig()`'s output: `fromConfig(layer.getConfig())` is an identical, unbuilt layer. */
  fromConfig(config: LayerConfig): Layer;
}

/** A layer as a saved model holds it, Keras's form: `{ className: 'Conv2D', config: { filters: 6, ... } }`. */
export interface SerializedLayer {
  /** The registered class name. */
  className: string;
  /** The layer's `getConfig()`: its name and every option. */
  config: LayerConfig;
}

const registry = new Map<string, LayerClass>();

/** Makes a layer class known to `deserializeLayer`. Custom layers call this once. */
export function registerLayer(cls: LayerClass): void {
  registry.set(cls.className, cls);
}

/** A layer as plain JSON, `{ className, config }` (Keras `serialize`). */
export function serializeLayer(layer: Layer): SerializedLayer {
  return { className: layer.className, config: layer.getConfig() };
}

/**
 * A new, unbuilt layer from its saved form, `serializeLayer`'s output (Keras `deserialize`). The form
 * usually comes from a model.json, which may have been edited or damaged: it is checked (an object, a
 * registered className, a config object) before the class sees it, and the class's constructor checks
 * every option.
 * @param where how messages name the entry ("Sequential.fromConfig: layers[2]"). Default 'deserializeLayer'.
 * @throws ConfigError naming the entry (and the layer, when it has a name) for anything wrong.
 */
export function deserializeLayer(s: SerializedLayer, where = 'deserializeLayer'): Layer {
  if (s === null || typeof s !== 'object' || Array.isArray(s)) {
    throw new ConfigError(`${where}: a serialized layer must be { className, config }, but got ${brief(s)}`);
  }
  const { className, config } = s as { className?: unknown; config?: unknown };
  const named =
    config !== null && typeof config === 'object' && typeof (config as { name?: unknown }).name === 'string'
      ? ` ('${(config as { name: string }).name}')`
      : '';
  if (typeof className !== 'string') {
    throw new ConfigError(`${where}${named}: className must be a layer class name, but got ${brief(className)}`);
  }
  const cls = registry.get(className);
  if (cls === undefined) {
    throw new ConfigError(
      `${where}${named}: unknown layer class '${className}'; registered: ${[...registry.keys()].sort().join(', ')}. ` +
        'Custom layers must be registered with registerLayer(MyLayer).',
    );
  }
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new ConfigError(`${where}${named}: the config of ${className} must be an object, but got ${brief(config)}`);
  }
  return cls.fromConfig(config as LayerConfig);
}

/** A value for a message, cut short: a mutated config can hold megabytes. */
function brief(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Names of the registered layer classes. */
export function registeredLayers(): string[] {
  return [...registry.keys()].sort();
}
