/** The page's side of the training worker: sends commands, hands each message to the listeners. */
import type { FromWorker, Settings, ToWorker } from '../worker/protocol';

export type Listener = (message: FromWorker) => void;

export class Trainer {
  private readonly worker: Worker;
  private readonly listeners: Listener[] = [];
  private snapshots = new Map<number, (m: Extract<FromWorker, { type: 'snapshot' }>) => void>();
  private nextId = 1;

  constructor(settings: Settings) {
    this.worker = new Worker(new URL('../worker/train.worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (event: MessageEvent<FromWorker>) => {
      const message = event.data;
      if (message.type === 'snapshot') {
        this.snapshots.get(message.id)?.(message);
        this.snapshots.delete(message.id);
      }
      for (const listener of this.listeners) listener(message);
    };
    this.worker.onerror = (event) => {
      for (const listener of this.listeners) listener({ type: 'error', message: event.message || 'the worker failed' });
    };
    const threads = Math.max(1, Math.min(4, navigator.hardwareConcurrency || 2));
    this.send({ type: 'init', mnistUrl: new URL('mnist/', document.baseURI).href, threads, settings });
  }

  on(listener: Listener): void {
    this.listeners.push(listener);
  }

  send(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  /** The model being trained, as artifacts (a copy: training goes on). */
  snapshot(): Promise<Extract<FromWorker, { type: 'snapshot' }>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.snapshots.set(id, resolve);
      this.send({ type: 'snapshot', id });
    });
  }
}
