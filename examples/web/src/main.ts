/**
 * The demo page: four views behind tabs (Train, See inside, Pooling, Draw a digit). The training
 * worker starts at once and loads MNIST; the page itself only draws what the worker reports, runs
 * the pooling ops of the playground and the model on a drawn digit (both a fraction of a millisecond).
 */
import './style.css';
import { getBackend, initWasm, setBackend } from 'sinapse';
import { Trainer } from './lib/trainer';
import { setUpDraw } from './views/draw';
import { setUpInside } from './views/inside';
import { setUpPooling } from './views/pooling';
import { readSettings, setUpTrain } from './views/train';

const VIEWS = ['train', 'inside', 'pooling', 'draw'] as const;
type View = (typeof VIEWS)[number];

/** Shows one view; the URL's #hash names it, so a view can be linked and Back works. */
function show(view: View, focus = false): void {
  for (const v of VIEWS) {
    const tab = document.getElementById(`tab-${v}`)!;
    const panel = document.getElementById(`view-${v}`)!;
    const on = v === view;
    tab.setAttribute('aria-selected', String(on));
    tab.tabIndex = on ? 0 : -1;
    panel.hidden = !on;
    if (on && focus) tab.focus();
  }
  document.dispatchEvent(new CustomEvent('sinapse:view', { detail: view }));
}

function viewFromHash(): View {
  const name = location.hash.slice(1);
  return (VIEWS as readonly string[]).includes(name) ? (name as View) : 'train';
}

function setUpTabs(): void {
  const tabs = VIEWS.map((v) => document.getElementById(`tab-${v}`)!);
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => {
      history.replaceState(null, '', `#${VIEWS[i]}`);
      show(VIEWS[i]!);
    });
    // the keys of a tab list: arrows move between tabs, Home and End jump to the ends
    tab.addEventListener('keydown', (e) => {
      let next = -1;
      if (e.key === 'ArrowRight') next = (i + 1) % tabs.length;
      else if (e.key === 'ArrowLeft') next = (i + tabs.length - 1) % tabs.length;
      else if (e.key === 'Home') next = 0;
      else if (e.key === 'End') next = tabs.length - 1;
      if (next < 0) return;
      e.preventDefault();
      history.replaceState(null, '', `#${VIEWS[next]}`);
      show(VIEWS[next]!, true);
    });
  });
  window.addEventListener('hashchange', () => show(viewFromHash()));
  show(viewFromHash());
}

async function main(): Promise<void> {
  setUpTabs();
  const status = document.getElementById('status')!;
  const trainer = new Trainer(readSettings());
  let threads = '';
  trainer.on((m) => {
    if (m.type === 'threads') {
      threads = `${m.backend} · ${m.threads} thread${m.threads === 1 ? '' : 's'}`;
      status.textContent = `${threads} · loading MNIST…`;
      status.dataset.threads = String(m.threads);
      status.dataset.isolated = String(m.isolated);
      status.title = m.isolated
        ? 'The page is cross-origin isolated: training shares its memory between threads.'
        : 'The page is not cross-origin isolated (no COOP/COEP headers): training runs on one thread.';
    } else if (m.type === 'loading') {
      status.textContent = `${threads} · loading MNIST (${m.files} of ${m.of} files, 11 MB)…`;
    } else if (m.type === 'ready') {
      status.textContent = `${threads} · MNIST ready`;
      document.body.dataset.ready = 'true';
    } else if (m.type === 'state') {
      status.textContent = `${threads} · ${m.running ? 'training' : m.finished ? 'finished' : 'ready'}`;
      document.body.dataset.training = m.running ? 'running' : m.finished ? 'finished' : 'idle';
    } else if (m.type === 'error') {
      status.textContent = `Error: ${m.message}`;
      status.classList.add('error');
      console.error(`training worker: ${m.message}`);
    }
  });
  setUpTrain(trainer);
  setUpInside(trainer);
  setUpPooling();
  setUpDraw(trainer);
  // the page's own ops (the playground, a drawn digit) are small: wasm if it loads, else plain JS
  if (await initWasm()) setBackend('wasm');
  document.body.dataset.backend = getBackend().name;
}

void main();
