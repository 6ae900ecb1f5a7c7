/**
 * The demo page: four views behind tabs (Train, See inside, Pooling, Draw a digit). The training
 * worker starts at once and loads MNIST; the page itself only draws what the worker reports, runs
 * the pooling ops of the playground and the model on a drawn digit (both a fraction of a millisecond).
 */
import './style.css';
import { getBackend, initWasm, setBackend } from 'sinapse';

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
  // the page's own ops (the playground, a drawn digit) are small: wasm if it loads, else plain JS
  if (await initWasm()) setBackend('wasm');
  document.body.dataset.backend = getBackend().name;
  document.getElementById('status')!.textContent = `${getBackend().name} · ready`;
}

void main();
