/** The findings format the Review prompt asks for; parsed by findings.ts. Kept apart so the prompt needs no parser. */

/** Appended to the Review prompt. Kept short; the example is the part models follow best. */
export const reviewInstructions = [
  'Findings format: after the review, list every finding in one fenced code block whose info string is',
  '`findings`, holding a JSON array. Each item has "severity" ("error" for defects that break correctness,',
  'security or data integrity; "warning" for risks and design problems; "info" for suggestions), "title"',
  '(one line), "rationale" (why it matters and what to change), and, when the finding is about a place in',
  'the code, "file" (the path as shown in the workspace context) and "line" (1-based). For example:',
  '```findings',
  '[',
  '  {"severity": "warning", "title": "No index on orders.user_id", "rationale": "Orders are listed per user; without an index every lookup scans the table. Add @@index([userId]).", "file": "prisma/schema.prisma", "line": 31}',
  ']',
  '```',
].join('\n');
