/**
 * @sinapse/tensor/node: the parts that need Node's own modules (here worker_threads), kept out of
 * the browser-safe core.
 *
 * @module @sinapse/tensor/node
 */
export { useThreads } from './threads';
