import * as assert from 'node:assert/strict';
import { Coalescer } from '../../../src/drift/debounce';

/** A task whose runs the test finishes by hand, so nothing depends on how long anything takes. */
class Gate {
  runs = 0;
  private release: Array<() => void> = [];
  private started: Array<() => void> = [];
  task = (): Promise<void> => {
    this.runs++;
    this.started.splice(0).forEach(r => r());
    return new Promise(resolve => this.release.push(resolve));
  };
  /** Resolves when the next run starts. */
  nextStart(): Promise<void> { return new Promise(r => this.started.push(r)); }
  finish(): void { this.release.shift()?.(); }
}

describe('drift: re-checks on save are folded together', () => {
  it('many requests before the delay ends give one run', async () => {
    const gate = new Gate();
    const c = new Coalescer(gate.task, 0);
    const started = gate.nextStart();
    c.schedule(); c.schedule(); c.schedule();
    await started;
    gate.finish();
    await c.idle();
    assert.equal(gate.runs, 1);
  });

  it('requests during a run give exactly one more run after it, never two at once', async () => {
    const gate = new Gate();
    const c = new Coalescer(gate.task, 0);
    let started = gate.nextStart();
    c.schedule();
    await started;
    c.schedule(); c.schedule();
    assert.equal(gate.runs, 1, 'no second run while the first is going');
    started = gate.nextStart();
    gate.finish();
    await started;
    assert.equal(gate.runs, 2);
    gate.finish();
    await c.idle();
    assert.equal(gate.runs, 2);
  });

  it('a failing run is reported and does not stop later ones; dispose cancels what is waiting', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    const c = new Coalescer(async () => { runs++; throw new Error('boom'); }, 0, e => errors.push(e));
    c.schedule();
    await c.idle();
    c.schedule();
    await c.idle();
    assert.equal(runs, 2);
    assert.equal(errors.length, 2);
    c.schedule(10_000);
    const idle = c.idle();
    c.dispose();
    await idle;
    assert.equal(runs, 2, 'the waiting run was cancelled');
  });
});
