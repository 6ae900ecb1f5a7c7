/**
 * The messages between the page and the training worker. The page only draws; everything that
 * computes on MNIST happens in the worker (train.worker.ts).
 */

/** What a run is set up with. */
export interface Settings {
  learningRate: number;
  optimizer: 'sgd' | 'adam';
  batchSize: number;
  epochs: number;
  /** Train on the first `trainSize` of the 55,000 training images. */
  trainSize: number;
  seed: number;
}

/** One feature map stack: a layer's output for one image, [height, width, channels]. */
export interface Maps {
  name: string;
  shape: [number, number, number];
  data: Float32Array;
}

export type ToWorker =
  | { type: 'init'; mnistUrl: string; threads: number; settings: Settings }
  | { type: 'start' }
  | { type: 'pause' }
  | { type: 'reset'; settings: Settings }
  | { type: 'set'; settings: Partial<Settings> }
  | { type: 'inspect'; index: number }
  | { type: 'snapshot'; id: number };

export type FromWorker =
  | { type: 'threads'; threads: number; backend: string; isolated: boolean }
  /** MNIST's four files: how many have arrived. */
  | { type: 'loading'; files: number; of: number }
  | {
      type: 'ready';
      train: number;
      validation: number;
      test: number;
      normalization: { mean: number; std: number };
      /** The first test digits (784 bytes each) and their labels, for the digit picker. */
      samples: { pixels: Uint8Array; labels: number[] };
    }
  | { type: 'state'; running: boolean; finished: boolean }
  | {
      type: 'progress';
      /** Epochs done, fractional: 1.5 is halfway through the second epoch. */
      epoch: number;
      epochs: number;
      step: number;
      loss: number;
      accuracy: number;
      examplesPerSecond: number;
    }
  | { type: 'validation'; epoch: number; loss: number; accuracy: number; full: boolean }
  | { type: 'test'; loss: number; accuracy: number; count: number }
  | {
      type: 'inside';
      index: number;
      label: number;
      /** conv1's kernel [5, 5, 1, 6] */
      filters: Float32Array;
      maps: Maps[];
      probabilities: number[];
    }
  | { type: 'snapshot'; id: number; modelJson: unknown; weightData: Uint8Array }
  | { type: 'error'; message: string };
