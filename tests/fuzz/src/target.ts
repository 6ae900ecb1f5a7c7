/**
 * The fuzz-target contract, shared by this harness and the targets other packages export (such as
 * `@sinapse/interop/testing`'s `fuzzTargets`) without either importing the other: both declare
 * these types, field for field, so any object of this shape can be fuzzed here.
 */
import type fc from 'fast-check';

/** One input for a reader: a set of files (name → bytes), e.g. { 'model.json': ..., 'group1-shard1of1.bin': ... }. */
export interface FuzzCase {
  readonly files: Readonly<Record<string, Uint8Array>>;
  /** What was mutated, for the report and the saved fixture, e.g. "truncated weights.bin at byte 812". */
  readonly description: string;
}

/** One reader under fuzz. */
export interface FuzzTarget {
  /** 'sinapse-model' | 'idx' | 'layer-config' | 'tfjs-layers' | 'onnx' | ... */
  readonly name: string;
  /** fast-check arbitrary: a valid input (from real models / files), then structure-aware mutations of it. */
  readonly arbitrary: fc.Arbitrary<FuzzCase>;
  /**
   * Feeds the case to the reader (through the public, browser-safe API on bytes/JSON where one exists). Resolves
   * if the reader accepted it, throws whatever the reader threw. The harness classifies: a ConfigError /
   * ValueError / ShapeError (by err.name) whose message names the file or field = clean error; anything else
   * (TypeError, RangeError, plain Error, a hang past the time limit, a large allocation) = failure.
   */
  run(input: FuzzCase): Promise<void>;
}
