/**
 * highlight.js (core, plus the languages answers hold), loaded on first use in a chunk of its own. Why this
 * highlighter (figures in README "Answer view"): maintained, no eval and no injected styles (the CSP stays as
 * it is), its token classes are coloured from the theme's variables, and the languages we need weigh about
 * 68 KB minified; shiki needs WebAssembly or a 200 KB regex engine, Prism is barely maintained.
 */
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import dockerfile from 'highlight.js/lib/languages/dockerfile';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import pgsql from 'highlight.js/lib/languages/pgsql';
import python from 'highlight.js/lib/languages/python';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

/** Highlights `code` as `language` (a highlight.js name) into HTML: escaped text in `<span class="hljs-…">`. */
export type HighlightFn = (code: string, language: string) => string;

const grammars = { bash, dockerfile, go, java, javascript, json, markdown, pgsql, python, typescript, xml, yaml };
for (const [name, grammar] of Object.entries(grammars)) { hljs.registerLanguage(name, grammar); }

/** The highlighter and the languages it knows (highlight.js names). */
export const highlighter: { highlight: HighlightFn; languages: Set<string> } = {
  highlight: (code, language) => hljs.highlight(code, { language, ignoreIllegals: true }).value,
  languages: new Set(Object.keys(grammars)),
};
