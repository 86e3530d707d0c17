import * as assert from 'node:assert/strict';
import { randomAnswer, randomDeltas } from './answers';
import { dom, newContainer, pick, seededRandom } from './domWindow';
import { StreamingMarkdownView, type StreamingMarkdownOptions } from '../../../webview/markdown/incremental';
import { MAX_ANSWER_CHARS, TRUNCATION_NOTICE_HTML, renderMarkdown } from '../../../webview/markdown/render';

const manual: StreamingMarkdownOptions['schedule'] = () => undefined;

function view(options: StreamingMarkdownOptions = { schedule: manual }): { container: HTMLElement; view: StreamingMarkdownView } {
  const container = newContainer();
  return { container, view: new StreamingMarkdownView(container, options) };
}

/**
 * Watches the container's top-level nodes across flushes. Re-rendering only the tail means: what a flush
 * removes is always a run of nodes at the end (the old tail), and only a few of them; everything before the
 * tail keeps its identity until the answer finishes.
 */
class FlushWatcher {
  flushes = 0;
  removedTotal = 0;
  maxRemovedInOneFlush = 0;
  readonly problems: string[] = [];
  private readonly addedAt = new Map<Node, number>();
  private previous: Node[] = [];

  constructor(private readonly container: HTMLElement) {}

  afterFlush(): void {
    this.flushes++;
    const current = Array.from(this.container.childNodes);
    const present = new Set<Node>(current);
    const firstRemoved = this.previous.findIndex((node) => !present.has(node));
    if (firstRemoved >= 0) {
      const removed = this.previous.slice(firstRemoved);
      if (removed.some((node) => present.has(node))) {
        this.problems.push(`flush ${this.flushes}: a node was removed from before the tail`);
      }
      this.removedTotal += removed.length;
      this.maxRemovedInOneFlush = Math.max(this.maxRemovedInOneFlush, removed.length);
    }
    for (const node of current) {
      if (!this.addedAt.has(node)) {
        this.addedAt.set(node, this.flushes);
      }
    }
    this.previous = current;
  }

  /** Nodes now in the container that an earlier flush than the last one added. */
  nodesOlderThanLastFlush(): Node[] {
    return this.previous.filter((node) => (this.addedAt.get(node) ?? this.flushes) < this.flushes);
  }
}

function click(target: Element, init: MouseEventInit = {}, type = 'click'): MouseEvent {
  const event = new dom.window.MouseEvent(type, { bubbles: true, cancelable: true, button: 0, ...init });
  target.dispatchEvent(event);
  return event;
}

/** Best-of-`repetitions` wall time of `run`, in milliseconds. */
function bestTime(run: () => void, repetitions: number): number {
  let best = Infinity;
  for (let i = 0; i < repetitions; i++) {
    const started = performance.now();
    run();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

describe('StreamingMarkdownView', () => {
  describe('the final result', () => {
    it('equals renderMarkdown(text) after finish() for 12 seeded answers in random deltas', function () {
      this.timeout(120_000);
      for (let seed = 1; seed <= 12; seed++) {
        const random = seededRandom(seed);
        const text = randomAnswer(random, { blocks: 30, references: seed % 3 === 0, unclosedFence: seed % 4 === 0 });
        const { container, view: v } = view();
        for (const delta of randomDeltas(random, text, pick(random, [3, 8, 16, 80]))) {
          v.append(delta);
          if (random() < 0.7) {
            v.flush();
          }
        }
        v.finish();
        assert.equal(v.text, text);
        assert.equal(container.innerHTML, renderMarkdown(text), `seed ${seed}: ${JSON.stringify(text)}`);
      }
    });

    it('also when the scheduler decides when to render', function () {
      this.timeout(60_000);
      for (let seed = 100; seed < 110; seed++) {
        const random = seededRandom(seed);
        const queue: (() => void)[] = [];
        const { container, view: v } = view({ schedule: (callback) => void queue.push(callback) });
        const text = randomAnswer(random, { blocks: 20 });
        for (const delta of randomDeltas(random, text, 20)) {
          v.append(delta);
          while (queue.length > 0 && random() < 0.5) {
            queue.shift()?.();
          }
        }
        v.finish();
        queue.forEach((callback) => callback());
        assert.equal(container.innerHTML, renderMarkdown(text), `seed ${seed}`);
      }
    });

    it('keeps the streamed nodes at finish() when they already equal the full render', () => {
      const { container, view: v } = view();
      v.append('# Plan\n\nFirst.\n\n```sql\nselect 1;\n```\n\nLast.');
      v.flush();
      const nodes = Array.from(container.childNodes);
      v.finish();
      assert.deepEqual(Array.from(container.childNodes), nodes);
    });

    it('corrects at finish() what only the whole text decides: a reference defined at the end', () => {
      const { container, view: v } = view();
      const text = `See [the spec][spec].\n\n${'Filler paragraph.\n\n'.repeat(5)}[spec]: https://example.com/spec\n`;
      for (const char of text) {
        v.append(char);
        v.flush();
      }
      assert.equal(container.querySelector('a'), null, 'while streaming the reference is unknown');
      v.finish();
      assert.equal(container.querySelector('a')?.getAttribute('data-href'), 'https://example.com/spec');
      assert.equal(container.innerHTML, renderMarkdown(text));
    });
  });

  describe('re-renders only the unfinished block', () => {
    it('never touches a finished block while streaming (10 seeded answers)', function () {
      this.timeout(120_000);
      for (let seed = 1; seed <= 10; seed++) {
        const random = seededRandom(seed * 31);
        const text = randomAnswer(random, { blocks: 30 });
        const { container, view: v } = view();
        const watcher = new FlushWatcher(container);
        for (const delta of randomDeltas(random, text, 16)) {
          v.append(delta);
          v.flush();
          watcher.afterFlush();
        }
        assert.deepEqual(watcher.problems, [], `seed ${seed}`);
        // A full re-render would remove every node at every flush.
        assert.ok(watcher.maxRemovedInOneFlush <= 12, `seed ${seed}: ${watcher.maxRemovedInOneFlush} nodes removed at once`);
        assert.ok(watcher.removedTotal <= 4 * watcher.flushes, `seed ${seed}: ${watcher.removedTotal} removals in ${watcher.flushes} flushes`);
        const untouched = watcher.nodesOlderThanLastFlush().length;
        assert.ok(untouched >= container.childNodes.length - 12, `seed ${seed}: only ${untouched} nodes kept their identity`);
        assert.ok(untouched > 10, `seed ${seed}: ${untouched} nodes`);
      }
    });

    it('renders a long fence as the tail while it streams, then never again; earlier blocks keep their nodes', () => {
      const code = Array.from({ length: 200 }, (_, i) => (i % 10 === 5 ? '' : `key${i}: value ${i}`)).join('\n');
      const head = 'Intro paragraph.\n\n```yaml file=docs/big.yaml\n';
      const text = `${head}${code}\n\`\`\`\n\nAfter the code.\n\nMore text.\n`;
      const { container, view: v } = view();
      let intro: Element | undefined;
      let pre: Element | undefined;
      for (let i = 0; i < text.length; i += 3) {
        v.append(text.slice(i, i + 3));
        v.flush();
        const sofar = v.text;
        const currentPre = container.querySelector('pre');
        if (sofar.length >= head.length) {
          intro ??= container.querySelector('p') ?? undefined;
          assert.equal(container.querySelector('p'), intro, 'the intro keeps its node while the fence streams');
        }
        if (sofar.includes('After the code.\n')) {
          pre ??= currentPre ?? undefined;
          assert.equal(currentPre, pre, 'the finished fence keeps its node');
        } else if (sofar.length > head.length + 20 && !sofar.includes('\n```\n', head.length)) {
          assert.equal(container.querySelectorAll('pre').length, 1, 'blank lines inside the fence never split it');
          assert.equal(container.querySelector('pre')?.nextElementSibling, null, 'code is never shown as prose');
        }
      }
      v.finish();
      assert.equal(container.querySelector('pre'), pre, 'finish() keeps it too');
      assert.equal(container.querySelector('p'), intro);
      assert.equal(pre?.getAttribute('data-info'), 'yaml file=docs/big.yaml');
      assert.equal(container.innerHTML, renderMarkdown(text));
    });
  });

  describe('fences while streaming', () => {
    it('shows an unclosed fence as one code block at every step', () => {
      const text = 'Intro\n\n```python\nx = 1\n\n\ny = 2\n\nprint("```")\n\n# done';
      const { container, view: v } = view();
      for (const char of text) {
        v.append(char);
        v.flush();
        const sofar = v.text;
        const start = sofar.indexOf('```python\n');
        if (start >= 0) {
          assert.equal(container.querySelectorAll('pre').length, 1, JSON.stringify(sofar));
          assert.equal(container.querySelector('pre')?.textContent, sofar.slice(start + '```python\n'.length), JSON.stringify(sofar));
        }
      }
      v.finish();
      assert.equal(container.innerHTML, renderMarkdown(text));
    });

    it('keeps ~~~ fences with ``` lines, longer fences around shorter ones, and nested backticks intact', () => {
      const text = [
        '~~~text\n```\n\nnot a fence end\n```\n\n~~~',
        '````markdown\n```yaml\na: 1\n\nb: 2\n```\n\n````',
        'Inline `` a ` b `` and ``` `` ``` spans.',
        '   ```\n   indented fence\n\n   ```',
      ].join('\n\n');
      const random = seededRandom(5);
      for (const size of [1, 2, 7]) {
        const { container, view: v } = view();
        for (const delta of randomDeltas(random, text, size)) {
          v.append(delta);
          v.flush();
          assert.ok(!/<p>[^<]*(not a fence end|b: 2|indented fence)/.test(container.innerHTML), JSON.stringify(v.text));
        }
        v.finish();
        assert.equal(container.innerHTML, renderMarkdown(text));
        assert.equal(container.querySelectorAll('pre').length, 3);
      }
    });
  });

  describe('links', () => {
    function linkView() {
      const opened: string[] = [];
      const { container, view: v } = view({ schedule: manual, onLink: (href) => opened.push(href) });
      v.append('Read [the **guide**](https://example.com/guide) or [mail](mailto:team@example.com). [x](javascript:alert(1))');
      v.finish();
      return { container, opened, link: container.querySelector('a') as HTMLAnchorElement };
    }

    it('never navigates and asks the host instead, on click and on Enter', () => {
      const { opened, link, container } = linkView();
      assert.equal(click(link).defaultPrevented, true);
      assert.equal(click(link.querySelector('strong') as Element).defaultPrevented, true, 'a click on markup inside the link');
      const enter = new dom.window.KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true });
      link.dispatchEvent(enter);
      assert.equal(enter.defaultPrevented, true);
      assert.equal(click(container.querySelectorAll('a')[1]).defaultPrevented, true);
      assert.deepEqual(opened, ['https://example.com/guide', 'https://example.com/guide', 'https://example.com/guide', 'mailto:team@example.com']);
    });

    it('cancels middle and right clicks, opening only for the middle one', () => {
      const { opened, link } = linkView();
      assert.equal(click(link, { button: 1 }, 'auxclick').defaultPrevented, true);
      assert.equal(click(link, { button: 2 }, 'auxclick').defaultPrevented, true);
      assert.deepEqual(opened, ['https://example.com/guide']);
    });

    it('leaves other clicks and keys alone', () => {
      const { opened, container, link } = linkView();
      assert.equal(click(container.querySelector('p') as Element).defaultPrevented, false);
      const key = new dom.window.KeyboardEvent('keydown', { key: 'a', bubbles: true, cancelable: true });
      link.dispatchEvent(key);
      assert.equal(key.defaultPrevented, false);
      assert.deepEqual(opened, []);
    });

    it('re-checks the target, so a link altered in the DOM is not opened', () => {
      const { opened, link } = linkView();
      link.setAttribute('data-href', 'command:workbench.action.terminal.new');
      assert.equal(click(link).defaultPrevented, true);
      assert.deepEqual(opened, []);
    });

    it('still cancels navigation without an onLink handler; after dispose() it neither listens nor renders', () => {
      const { container, view: v } = view();
      v.append('[a](https://example.com)');
      v.finish();
      const link = container.querySelector('a') as Element;
      assert.equal(click(link).defaultPrevented, true);
      v.dispose();
      // Seen from the document, after the container; then cancelled so jsdom does not try to navigate.
      let prevented: boolean | undefined;
      link.ownerDocument.addEventListener('click', (event) => {
        prevented = event.defaultPrevented;
        event.preventDefault();
      }, { once: true });
      click(link);
      assert.equal(prevented, false);
      const html = container.innerHTML;
      v.reset();
      v.append('[b](https://example.org)');
      v.flush();
      v.finish();
      assert.equal(container.innerHTML, html, 'no link is rendered that nothing would intercept');
    });
  });

  describe('lifecycle', () => {
    it('buffers deltas and renders once per scheduled callback', () => {
      const queue: (() => void)[] = [];
      const { container, view: v } = view({ schedule: (callback) => void queue.push(callback) });
      v.append('Hello ');
      v.append('**world**');
      assert.equal(queue.length, 1, 'one render for a burst of deltas');
      assert.equal(container.innerHTML, '', 'append() alone does not render');
      queue.shift()?.();
      assert.equal(container.innerHTML, '<p>Hello <strong>world</strong></p>\n');
      v.append('!');
      assert.equal(queue.length, 1);
    });

    it('renders by itself with the default timer', async () => {
      const container = newContainer();
      const v = new StreamingMarkdownView(container);
      v.append('*soon*');
      await new Promise((resolve) => setTimeout(resolve, 150));
      assert.equal(container.innerHTML, '<p><em>soon</em></p>\n');
      v.dispose();
    });

    it('drops a render scheduled before reset() or finish()', () => {
      const queue: (() => void)[] = [];
      const { container, view: v } = view({ schedule: (callback) => void queue.push(callback) });
      v.append('old answer');
      v.reset();
      assert.equal(v.text, '');
      v.append('new');
      queue.forEach((callback) => callback());
      assert.equal(container.innerHTML, '<p>new</p>\n');
      v.append(' answer');
      v.finish();
      const nodes = Array.from(container.childNodes);
      queue.forEach((callback) => callback());
      assert.deepEqual(Array.from(container.childNodes), nodes);
      assert.equal(container.innerHTML, '<p>new answer</p>\n');
    });

    it('ignores appends after finish() until reset()', () => {
      const { container, view: v } = view();
      v.append('done');
      v.finish();
      v.append(' more');
      v.flush();
      assert.equal(v.text, 'done');
      assert.equal(container.innerHTML, '<p>done</p>\n');
      v.reset();
      assert.equal(container.innerHTML, '');
      v.append('next');
      v.finish();
      assert.equal(container.innerHTML, '<p>next</p>\n');
    });

    it(`stops at ${MAX_ANSWER_CHARS.toLocaleString('en-US')} characters and shows a notice`, function () {
      this.timeout(60_000);
      const { container, view: v } = view();
      // Long paragraphs: jsdom slows down quadratically with the number of nodes under one parent, a browser does not.
      const paragraph = `${'word '.repeat(1999)}end\n\n`;
      while (v.text.length < MAX_ANSWER_CHARS) {
        v.append(paragraph.repeat(5));
        v.flush();
      }
      assert.ok(!container.innerHTML.endsWith(TRUNCATION_NOTICE_HTML), 'exactly at the limit nothing is cut yet');
      v.append('ignored');
      v.flush();
      assert.equal(v.text.length, MAX_ANSWER_CHARS);
      assert.ok(container.innerHTML.endsWith(TRUNCATION_NOTICE_HTML));
      v.finish();
      assert.equal(container.innerHTML, renderMarkdown(v.text) + TRUNCATION_NOTICE_HTML);
    });
  });

  describe('T14: pathological input', () => {
    const pathological: Record<string, (size: number) => string> = {
      '50k nested >': (n) => '>'.repeat(n),
      '50k nested "> "': (n) => '> '.repeat(n / 2),
      '100k [': (n) => '['.repeat(n),
      '50k ![': (n) => '!['.repeat(n / 2),
      '10k-deep list on one line': (n) => '- '.repeat(n / 2),
      '10k-deep ordered list': (n) => '1. '.repeat(n / 3),
      'list staircase': (n) => Array.from({ length: n / 100 }, (_, i) => `${' '.repeat(2 * (i % 45))}- x`).join('\n'),
      '5000-column table': (n) => {
        const row = (cell: string) => `|${`${cell}|`.repeat(5000)}\n`;
        return (row('h') + row('-') + row('c').repeat(Math.max(1, Math.floor(n / 10_000) - 2))).slice(0, n);
      },
      'emphasis soup': (n) => '*a_'.repeat(n / 3),
      'unclosed links': (n) => '[a](b'.repeat(n / 5),
    };
    const sizes: Record<string, number> = {
      '50k nested >': 50_000, '50k nested "> "': 100_000, '100k [': 100_000, '50k ![': 100_000, '10k-deep list on one line': 20_000,
      '10k-deep ordered list': 30_000, 'list staircase': 1_000_000, '5000-column table': 100_000, 'emphasis soup': 60_000, 'unclosed links': 100_000,
    };

    for (const [name, make] of Object.entries(pathological)) {
      it(`renders and streams ${name} in time`, function () {
        this.timeout(60_000);
        const text = make(sizes[name]);
        const once = bestTime(() => renderMarkdown(text), 1);
        assert.ok(once < 5_000, `${name}: ${once.toFixed(0)} ms for one render`);
        const { container, view: v } = view();
        const deltas = 40;
        const started = performance.now();
        for (let i = 0, step = Math.ceil(text.length / deltas); i < text.length; i += step) {
          v.append(text.slice(i, i + step));
          v.flush();
        }
        v.finish();
        const streamed = performance.now() - started;
        assert.ok(streamed < 30_000, `${name}: streaming took ${streamed.toFixed(0)} ms`);
        assert.equal(container.innerHTML, renderMarkdown(v.text));
      });
    }

    it('grows linearly: rendering 2N bytes takes less than 6x the time of N bytes (quadratic would be 4x and more; a busy machine adds noise)', function () {
      this.timeout(180_000);
      const n = 50_000;
      for (const name of ['50k nested >', '100k [', '10k-deep list on one line', '5000-column table', 'emphasis soup', 'unclosed links']) {
        const small = pathological[name](n);
        const large = pathological[name](2 * n);
        renderMarkdown(small);
        // The machine is shared: take the best of interleaved runs, and look again before calling it a failure.
        let ratio = Infinity;
        let detail = '';
        for (let attempt = 0; attempt < 3 && ratio >= 6; attempt++) {
          let tSmall = Infinity;
          let tLarge = Infinity;
          for (let i = 0; i < 5; i++) {
            tSmall = Math.min(tSmall, bestTime(() => renderMarkdown(small), 1));
            tLarge = Math.min(tLarge, bestTime(() => renderMarkdown(large), 1));
          }
          // Below a few milliseconds only the timer and the collector are measured.
          ratio = tLarge < 5 ? 0 : tLarge / tSmall;
          detail = `${name}: ${tSmall.toFixed(1)} ms for ${n} bytes, ${tLarge.toFixed(1)} ms for ${2 * n}`;
        }
        assert.ok(ratio < 6, detail);
      }
    });
  });
});
