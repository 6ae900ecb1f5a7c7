/**
 * Whether ops record the tape. Inference and optimizer updates do not need a graph, and skipping
 * it saves the memory the backward closures would hold (PyTorch `torch.no_grad()`).
 */

let gradEnabled = true;

/** Whether ops record the tape right now: false inside {@link noGrad}, true otherwise. */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/**
 * Runs `fn` with gradient recording switched off and returns its result: tensors computed inside
 * have `requiresGrad === false` and no graph. Nesting is fine; the previous mode is restored even
 * if `fn` throws.
 *
 * @example
 * const w = tensor([1, 2], undefined, { requiresGrad: true });
 * const y = noGrad(() => mul(w, 3));
 * y.requiresGrad; // false
 */
export function noGrad<T>(fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}
