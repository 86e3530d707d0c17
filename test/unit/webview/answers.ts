/**
 * Seeded generator of model-like answers for the streaming tests: prose, tight and loose lists, fences of
 * every kind (backtick and tilde, longer fences around shorter ones, indented inside list items, blank lines
 * inside), tables, quotes, indented code, and optionally reference links defined at the end.
 */
import { pick, randomInt } from './domWindow';

export interface AnswerOptions {
  blocks: number;
  /** Reference-style links whose definitions come at the end (only a full render resolves them). */
  references?: boolean;
  /** End inside a fenced code block that never closes. */
  unclosedFence?: boolean;
}

const WORDS = ['service', 'queue', 'the', 'orders', 'API', 'latency', 'retry', 'Postgres', 'cache', 'idempotent', 'event', 'schema'];

export function randomAnswer(random: () => number, options: AnswerOptions): string {
  const words = (min: number, max: number) =>
    Array.from({ length: randomInt(random, min, max) }, () => pick(random, WORDS)).join(' ');
  const inline = () => {
    const parts = [words(2, 8)];
    for (let i = randomInt(random, 0, 3); i > 0; i--) {
      parts.push(
        pick(random, [
          `*${words(1, 2)}*`, `**${words(1, 2)}**`, '`GET /orders/{id}`', '`` a ` b ``', `[docs](https://example.com/${randomInt(random, 1, 99)})`,
          `![diagram](https://img.example/${randomInt(random, 1, 99)}.png)`, '<b>not html</b>', `~~${words(1, 1)}~~`,
          ...(options.references ? [`[ref ${randomInt(random, 1, 5)}][r${randomInt(random, 1, 5)}]`, `![pic][r${randomInt(random, 1, 5)}]`] : []),
        ]),
        words(1, 5),
      );
    }
    return parts.join(' ');
  };
  const codeLines = (count: number, indent = '') =>
    Array.from({ length: count }, (_, i) => (random() < 0.2 ? '' : `${indent}${pick(random, ['id: uuid', 'SELECT * FROM orders;', 'A --> B', '  - name: x', '# comment', 'x: "```"'])} ${i}`)).join('\n');

  const block = (): string => {
    switch (randomInt(random, 0, 15)) {
      case 0:
        return `${'#'.repeat(randomInt(random, 1, 4))} ${words(1, 4)}`;
      case 1:
      case 2:
        return Array.from({ length: randomInt(random, 1, 4) }, inline).join('\n');
      case 3:
        return Array.from({ length: randomInt(random, 2, 5) }, () => `- ${inline()}`).join('\n');
      case 4:
        // Loose list, with a continuation paragraph now and then.
        return Array.from({ length: randomInt(random, 2, 4) }, () => `- ${inline()}${random() < 0.3 ? `\n\n  ${inline()}` : ''}`).join('\n\n');
      case 5: {
        const start = randomInt(random, 1, 9);
        return Array.from({ length: randomInt(random, 2, 4) }, (_, i) => `${start + i}. ${inline()}`).join(random() < 0.5 ? '\n' : '\n\n');
      }
      case 6:
        return `- ${words(1, 3)}\n  - ${words(1, 3)}\n    - ${words(1, 3)}\n- ${words(1, 3)}`;
      case 7:
      case 8: {
        const lang = pick(random, ['yaml file=docs/api/openapi.yaml', 'sql', 'mermaid', 'ts', '']);
        return `\`\`\`${lang}\n${codeLines(randomInt(random, 2, 30))}\n\`\`\``;
      }
      case 9:
        return `~~~sql\n${codeLines(randomInt(random, 2, 12))}\n\`\`\`\nstill code\n\n~~~`;
      case 10:
        return `\`\`\`\`md\nOutside:\n\n\`\`\`yaml\n${codeLines(randomInt(random, 1, 6))}\n\`\`\`\n\nmore\n\`\`\`\``;
      case 11:
        return `1. ${words(1, 3)}:\n\n   \`\`\`bash\n${codeLines(randomInt(random, 1, 5), '   ')}\n\n   npm test\n   \`\`\`\n2. ${words(1, 3)}`;
      case 12:
        return `> ${inline()}\n> ${inline()}`;
      case 13:
        return `| Method | Path | Notes |\n|:--|:-:|--:|\n${Array.from({ length: randomInt(random, 1, 5) }, () => `| GET | /${words(1, 1)} | ${words(1, 3)} |`).join('\n')}`;
      case 14:
        return `    indented code\n\n    after a blank line\n${random() < 0.5 ? '\n---' : ''}`;
      default:
        return `${words(1, 4)}\n${pick(random, ['===', '---'])}`;
    }
  };

  const blocks = Array.from({ length: options.blocks }, block);
  if (options.references) {
    blocks.push(Array.from({ length: 5 }, (_, i) => `[r${i + 1}]: https://example.com/ref/${i + 1} "Ref ${i + 1}"`).join('\n'));
  }
  let text = blocks.map((b) => b + pick(random, ['\n\n', '\n\n', '\n\n\n', '\n'])).join('');
  if (options.unclosedFence) {
    text += `\`\`\`sql\n${codeLines(randomInt(random, 3, 20))}\n\nSELECT 1;`;
  }
  return text;
}

/** Cuts `text` into deltas of random size, as a model stream would deliver it. */
export function randomDeltas(random: () => number, text: string, maxSize: number): string[] {
  const deltas: string[] = [];
  for (let i = 0; i < text.length; ) {
    const size = randomInt(random, 1, maxSize);
    deltas.push(text.slice(i, i + size));
    i += size;
  }
  return deltas;
}
