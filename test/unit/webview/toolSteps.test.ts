import * as assert from 'node:assert/strict';
import { document } from './domWindow';
import { createStepsSection, showStep, showSteps } from '../../../webview/toolSteps';

describe('tool steps in the answer view', () => {
  before(() => { (globalThis as { document?: Document }).document = document; });
  after(() => { delete (globalThis as { document?: Document }).document; });

  it('shows a running call, then the same line done with its result, keeping it open', () => {
    const section = createStepsSection();
    document.body.append(section);
    assert.equal(section.hidden, true, 'no steps, no section');
    showStep(section, { id: 's1', label: 'Read src/routes/orders.js 1-80', state: 'running' });
    assert.equal(section.hidden, false);
    assert.equal(section.querySelector('.step-line')!.textContent, '…Read src/routes/orders.js 1-80');
    (section.querySelector('details') as HTMLDetailsElement).open = true;
    showStep(section, { id: 's1', label: 'Read src/routes/orders.js 1-80', state: 'done', summary: '80 of 120 lines', detail: 'src/routes/orders.js, lines 1-80 of 120:\n 1| x' });
    const items = section.querySelectorAll('details');
    assert.equal(items.length, 1);
    assert.equal((items[0] as HTMLDetailsElement).open, true);
    assert.equal(items[0].querySelector('.step-line')!.textContent, '✓Read src/routes/orders.js 1-80: 80 of 120 lines');
    assert.equal(items[0].querySelector('.step-detail')!.textContent, 'src/routes/orders.js, lines 1-80 of 120:\n 1| x');
    showStep(section, { id: 's2', label: 'Searched `FOR UPDATE`', state: 'done', summary: '3 hits', detail: 'a' });
    assert.equal(section.querySelector('.steps-head')!.textContent, 'Tool calls (2): what the architect read');
    showSteps(section, []);
    assert.equal(section.hidden, true);
  });

  it('never treats a label or a result as markup', () => {
    const section = createStepsSection();
    showStep(section, { id: 'x', label: 'Read <img src=x onerror=alert(1)>', state: 'failed', summary: 'refused', detail: '<script>alert(1)</script>' });
    assert.equal(section.querySelectorAll('img, script').length, 0);
    assert.match(section.textContent ?? '', /<img src=x onerror=alert\(1\)>/);
  });
});
