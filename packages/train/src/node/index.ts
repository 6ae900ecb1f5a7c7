/**
 * @sinapse/train/node: the callbacks that need Node (a terminal, the file system).
 *
 * @module @sinapse/train/node
 */
export { type ModelCheckpointOptions, modelCheckpoint } from './modelCheckpoint';
export { type ProgressBarOptions, progressBar } from './progressBar';
