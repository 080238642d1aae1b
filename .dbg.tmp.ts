import { startSession, openTwin, stopAll } from './test/browser/harness';
const s = await startSession({ width: 1280, height: 800 });
await openTwin(s, '');
const r = await s.page.evaluate(() => {
  (window as any).sddiTwin.store.getState().setDockOpen(false);
  return new Promise((res) => setTimeout(() => {
    const counts: Record<string, number> = {};
    for (let i = 0; i < 48; i++) for (let j = 0; j < 30; j++) {
      const el = document.elementFromPoint(((i + 0.5) * innerWidth) / 48, ((j + 0.5) * innerHeight) / 30);
      const k = el ? `${el.tagName}.${el.className}`.slice(0, 60) : 'null';
      counts[k] = (counts[k] ?? 0) + 1;
    }
    const cr = document.querySelector('.cesium-widget-credits')!.getBoundingClientRect();
    res({ counts, credits: [cr.left, cr.top, cr.right, cr.bottom] });
  }, 500));
});
console.log(JSON.stringify(r, null, 1));
await s.page.screenshot({ path: '/tmp/shots/folded.png' });
await stopAll();
