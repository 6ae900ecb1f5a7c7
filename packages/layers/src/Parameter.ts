/**
 * A Parameter is a weight of a layer: a leaf tensor that requires a gradient (when trainable), with
 * a stable name (`conv1/kernel`) so it maps one to one onto Keras and TF.js weights (PyTorch
 * `nn.Parameter`, burn `Param<Tensor>`). It IS the tensor: after `loss.backward()` its `.grad` holds
 * dL/d(weight), and optimizers update its `data` in place, so every reference to it sees the change.
 */
import { type Shape, Tensor, type TypedArray } from '@sinapse/tensor';
import type { Regularizer } from './regularizers';

export class Parameter extends Tensor {
  /** `<layer name>/<weight name>`, e.g. 'conv1/kernel'. */
  readonly name: string;
  /** Penalty added to the loss by the training loop (e.g. l2(1e-4)), or null. */
  readonly regularizer: Regularizer | null;
  private isTrainable: boolean;

  constructor(data: TypedArray, shape: Shape, name: string, trainable = true, regularizer: Regularizer | null = null) {
    super(data, shape);
    this.name = name;
    this.regularizer = regularizer;
    this.isTrainable = trainable;
    this.requiresGrad = trainable;
  }

  /** Whether optimizers update it. A frozen parameter collects no gradient. */
  get trainable(): boolean {
    return this.isTrainable;
  }

  /** Freezing a parameter stops its gradient (`requiresGrad = false`) and drops the one it had. */
  set trainable(value: boolean) {
    this.isTrainable = value;
    this.requiresGrad = value;
    if (!value) this.grad = null;
  }

  /** Overwrites the values in place (shape and dtype are checked by the caller). */
  assign(values: ArrayLike<number>): void {
    this.data.set(values);
  }
}
