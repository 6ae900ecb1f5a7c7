export * from './Callback';
export * from './earlyStopping';
export * from './learningRateScheduler';
export { formatLogs, type ProgressLoggerOptions, progressLogger } from './progressLogger';
export * from './terminateOnNaN';
