/**
 * @sinapse/train/node: the callbacks that need Node (a terminal, the file system).
 */
export { type ModelCheckpointOptions, modelCheckpoint } from './modelCheckpoint';
export { type ProgressBarOptions, progressBar } from './progressBar';
