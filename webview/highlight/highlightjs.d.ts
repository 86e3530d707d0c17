// The part of highlight.js this project uses, for builds without the package (see hljs.ts). Once
// highlight.js is a dependency, its own types agree with these and this file can go.
declare module 'highlight.js/lib/core' {
  interface LanguageDefinition { name?: string }
  type LanguageFn = (hljs: unknown) => LanguageDefinition;
  const hljs: {
    registerLanguage(name: string, language: LanguageFn): void;
    highlight(code: string, options: { language: string; ignoreIllegals?: boolean }): { value: string };
  } | undefined;
  export default hljs;
}
declare module 'highlight.js/lib/languages/*' {
  const language: (hljs: unknown) => { name?: string };
  export default language;
}
