/** The Train view: the controls, the live numbers and the two charts. */
import { COLORS, lineChart, type Series } from '../lib/draw';
import type { Trainer } from '../lib/trainer';
import type { Settings } from '../worker/protocol';

/**
 * The learning rates the slider offers. The defaults (index 1, 0.001, for Adam; index 4, 0.01, for
 * SGD with momentum 0.9) are the rates that learn fastest in the first epoch: on 10,000 images, one
 * epoch of batch 64 reaches 96.0% (Adam 0.001) and 95.2% (SGD 0.01) validation accuracy, while SGD
 * at the MNIST example's 0.05 (which it decays over 7 epochs) is still at 88.0%.
 */
export const LEARNING_RATES = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5];

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

export function readSettings(): Settings {
  return {
    learningRate: LEARNING_RATES[Number($<HTMLInputElement>('lr').value)]!,
    optimizer: $<HTMLSelectElement>('optimizer').value as Settings['optimizer'],
    batchSize: Number($<HTMLSelectElement>('batch-size').value),
    epochs: Number($<HTMLSelectElement>('epochs').value),
    trainSize: Number($<HTMLSelectElement>('train-size').value),
    seed: 0,
  };
}

export function setUpTrain(trainer: Trainer): void {
  const start = $<HTMLButtonElement>('train-start');
  const resetButton = $<HTMLButtonElement>('train-reset');
  const lr = $<HTMLInputElement>('lr');
  const lrOut = $<HTMLOutputElement>('lr-out');
  const trainSize = $<HTMLSelectElement>('train-size');
  const bar = $('train-progress');
  let running = false;
  let finished = false;
  let started = false;
  let epochs = readSettings().epochs;
  const trainLoss: Array<[number, number]> = [];
  const trainAcc: Array<[number, number]> = [];
  const valLoss: Array<[number, number]> = [];
  const valAcc: Array<[number, number]> = [];
  let frame = 0;
  const speeds: number[] = [];

  const showLr = () => {
    lrOut.textContent = String(LEARNING_RATES[Number(lr.value)]);
  };
  showLr();

  function draw(): void {
    frame = 0;
    const xMax = Math.max(1, epochs);
    const series = (train: Array<[number, number]>, val: Array<[number, number]>): Series[] => [
      { label: 'training', color: COLORS.blue, dash: [], points: train },
      { label: 'validation', color: COLORS.orange, dash: [6, 4], points: val },
    ];
    lineChart($('chart-loss'), series(trainLoss, valLoss), xMax, 'auto', (y) => y.toFixed(2));
    lineChart($('chart-acc'), series(trainAcc, valAcc), xMax, [0, 1], (y) => `${Math.round(y * 100)}%`);
  }
  const redraw = () => {
    if (frame === 0) frame = requestAnimationFrame(draw);
  };
  window.addEventListener('resize', redraw);
  document.addEventListener('sinapse:view', redraw);

  function clear(): void {
    for (const list of [trainLoss, trainAcc, valLoss, valAcc, speeds]) list.length = 0;
    for (const id of ['m-epoch', 'm-speed', 'm-acc', 'm-val', 'm-test']) $(id).textContent = '–';
    bar.setAttribute('aria-valuenow', '0');
    (bar.firstElementChild as HTMLElement).style.width = '0%';
    started = false;
    redraw();
  }

  function buttons(): void {
    start.textContent = running ? 'Pause' : started && !finished ? 'Resume' : 'Start';
    start.disabled = finished;
    start.setAttribute('aria-pressed', String(running));
    trainSize.disabled = started;
  }

  start.addEventListener('click', () => {
    trainer.send({ type: running ? 'pause' : 'start' });
  });
  resetButton.addEventListener('click', () => {
    clear();
    finished = false;
    epochs = readSettings().epochs;
    trainer.send({ type: 'reset', settings: readSettings() });
  });
  lr.addEventListener('input', () => {
    showLr();
    trainer.send({ type: 'set', settings: { learningRate: readSettings().learningRate } });
  });
  $<HTMLSelectElement>('optimizer').addEventListener('change', (e) => {
    // each optimizer's default rate (see LEARNING_RATES)
    lr.value = (e.target as HTMLSelectElement).value === 'adam' ? '1' : '4';
    showLr();
    trainer.send({
      type: 'set',
      settings: { optimizer: readSettings().optimizer, learningRate: readSettings().learningRate },
    });
  });
  $<HTMLSelectElement>('batch-size').addEventListener('change', () => {
    trainer.send({ type: 'set', settings: { batchSize: readSettings().batchSize } });
  });
  $<HTMLSelectElement>('epochs').addEventListener('change', () => {
    epochs = readSettings().epochs;
    finished = false;
    trainer.send({ type: 'set', settings: { epochs } });
    redraw();
  });
  trainSize.addEventListener('change', () => {
    trainer.send({ type: 'reset', settings: readSettings() });
  });

  trainer.on((m) => {
    switch (m.type) {
      case 'ready':
        start.disabled = false;
        resetButton.disabled = false;
        redraw();
        break;
      case 'state':
        running = m.running;
        finished = m.finished;
        if (running) started = true;
        buttons();
        break;
      case 'progress': {
        started = true;
        epochs = m.epochs;
        trainLoss.push([m.epoch, m.loss]);
        trainAcc.push([m.epoch, m.accuracy]);
        // a running mean over the last few reports smooths the curve without lagging it much
        const recent = trainAcc.slice(-8);
        const acc = recent.reduce((s, p) => s + p[1], 0) / recent.length;
        $('m-epoch').textContent = `${Math.min(m.epochs, Math.floor(m.epoch) + 1)} / ${m.epochs}`;
        // the speed too: one slice of ~80 ms varies by a third from the next
        speeds.push(m.examplesPerSecond);
        if (speeds.length > 8) speeds.shift();
        const speed = speeds.reduce((s, v) => s + v, 0) / speeds.length;
        $('m-speed').textContent = Math.round(speed).toLocaleString('en');
        $('m-acc').textContent = `${(acc * 100).toFixed(1)}%`;
        const pct = Math.min(100, (m.epoch / m.epochs) * 100);
        bar.setAttribute('aria-valuenow', pct.toFixed(0));
        (bar.firstElementChild as HTMLElement).style.width = `${pct}%`;
        redraw();
        break;
      }
      case 'validation':
        valLoss.push([m.epoch, m.loss]);
        valAcc.push([m.epoch, m.accuracy]);
        $('m-val').textContent = `${(m.accuracy * 100).toFixed(2)}%`;
        redraw();
        break;
      case 'test':
        $('m-test').textContent = `${(m.accuracy * 100).toFixed(2)}%`;
        $('m-test').title = `on ${m.count.toLocaleString('en')} test images`;
        break;
    }
  });
  buttons();
  redraw();
}
