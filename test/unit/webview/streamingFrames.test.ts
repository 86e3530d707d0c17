import * as assert from 'node:assert/strict';
import { randomAnswer, randomDeltas } from './answers';
import { newContainer, seededRandom } from './domWindow';
import { StreamingMarkdownView, TAIL_FORMAT_MS } from '../../../webview/markdown/incremental';
import { renderMarkdown } from '../../../webview/markdown/render';

/** A view driven frame by frame on a simulated clock: `frame()` runs what the view scheduled, if it is due. */
function framed(): { container: HTMLElement; view: StreamingMarkdownView; advance(ms: number): void; frame(): boolean; delays: number[] } {
  const container = newContainer();
  let time = 0;
  let pending: { run: () => void; due: number } | undefined;
  const delays: number[] = [];
  const view = new StreamingMarkdownView(container, {
    clock: () => time,
    schedule: (run, delayMs) => { delays.push(delayMs); pending = { run, due: time + delayMs }; },
  });
  return {
    container, view, delays,
    advance: ms => { time += ms; },
    frame: () => {
      if (!pending || pending.due > time) { return false; }
      const { run } = pending;
      pending = undefined;
      run();
      return true;
    },
  };
}

describe('webview streaming in animation frames', function () {
  this.timeout(120_000);
  it('coalesces the deltas of a frame into one render', () => {
    const f = framed();
    f.view.append('# Title\n\nFirst ');
    f.view.append('words ');
    f.view.append('arrive.');
    assert.equal(f.container.innerHTML, '', 'nothing before the frame');
    assert.equal(f.frame(), true);
    assert.equal(f.container.innerHTML, '<h1>Title</h1>\n<p>First words arrive.</p>\n');
    assert.equal(f.frame(), false, 'one render for the three deltas');
  });

  it('shows new prose at once as text, and formats it again within TAIL_FORMAT_MS', () => {
    const f = framed();
    f.view.append('Intro with **bold');
    f.frame();
    f.advance(16);
    f.view.append('** text and `co');
    f.frame();
    const p = f.container.querySelector('p')!;
    assert.equal(p.textContent, 'Intro with **bold** text and `co', 'the new text is on screen, as typed');
    assert.equal(p.querySelector('strong'), null, 'not formatted yet');
    f.advance(TAIL_FORMAT_MS);
    f.view.append('de`.');
    f.frame();
    assert.equal(f.container.innerHTML, '<p>Intro with <strong>bold</strong> text and <code>code</code>.</p>\n');
  });

  it('new prose never lands inside inline markup of the formatted tail', () => {
    const f = framed();
    f.view.append('A **strong** start');
    f.frame();
    f.advance(16);
    f.view.append(' and more');
    f.frame();
    assert.equal(f.container.querySelector('strong')?.textContent, 'strong');
    assert.equal(f.container.querySelector('p')?.textContent, 'A strong start and more');
  });

  it('an open code block gets only the new characters; a CR waits for its LF', () => {
    const f = framed();
    f.view.append('```yaml\r\nopenapi: 3.1.0\r');
    f.frame();
    const code = f.container.querySelector('pre code')!;
    assert.equal(code.textContent, 'openapi: 3.1.0');
    f.advance(16);
    f.view.append('\ninfo:\r\n');
    f.frame();
    assert.equal(code.textContent, 'openapi: 3.1.0\ninfo:\n');
    assert.equal(f.container.querySelector('pre code'), code, 'the same element, appended to');
  });

  it('a burst is rendered a few blocks per frame, and finishWhenRendered() waits for the last one', async () => {
    const f = framed();
    const text = randomAnswer(seededRandom(7), { blocks: 300 });
    for (const d of randomDeltas(seededRandom(8), text, 50)) { f.view.append(d); }
    let frames = 0;
    const done = f.view.finishWhenRendered();
    while (f.frame() || frames === 0) { frames++; f.advance(50); }
    await done;
    assert.ok(frames > 2, `rendered over ${frames} frames, not in one`);
    assert.equal(f.container.innerHTML, renderMarkdown(text));
  });

  it('leaves three times the last render\'s duration free before the next (a quarter of the thread at most)', () => {
    const container = newContainer();
    let time = 0;
    const delays: number[] = [];
    const view = new StreamingMarkdownView(container, {
      clock: () => time, schedule: (_run, delayMs) => { delays.push(delayMs); },
      // This render (with its decorations) takes 20 ms on the simulated clock.
      onRender: () => { time += 20; },
    });
    view.append('para one\n\n');
    view.flush();
    time += 5;
    view.append('para two');
    assert.deepEqual(delays, [0, 55], 'the first at once; the next 60 ms after the 20 ms render ended, 5 ms of which passed');
  });

  it('frame by frame, every random answer ends exactly as one render of the whole text', async () => {
    for (let seed = 1; seed <= 40; seed++) {
      const f = framed();
      const text = randomAnswer(seededRandom(seed), { blocks: 30, unclosedFence: seed % 5 === 0 });
      for (const d of randomDeltas(seededRandom(seed + 100), text, 200)) {
        f.view.append(d);
        f.advance(seed % 3 === 0 ? 5 : 40);
        f.frame();
      }
      const done = f.view.finishWhenRendered();
      while (f.frame()) { f.advance(16); }
      await done;
      assert.equal(f.container.innerHTML, renderMarkdown(text), `seed ${seed}`);
    }
  });
});
