/** A short, ranked listing of a folder for the prompt: enough for the model to see the shape of the project. */

/** Paths the listing never shows: dependencies, build output, VCS data and secrets (THREATS T13). */
export const listingExclude = '{**/node_modules/**,**/.git/**,**/dist/**,**/out/**,**/build/**,**/target/**,**/vendor/**,**/.venv/**,**/__pycache__/**,**/.env*,**/*.pem,**/*.key,**/id_rsa*,**/id_ed25519*,**/.npmrc,**/.pypirc}';

/** Manifests and schema files tell more about a backend than anything else, so they come first. */
const important = /(^|\/)(package\.json|pyproject\.toml|requirements\.txt|go\.mod|pom\.xml|build\.gradle(\.kts)?|Gemfile|composer\.json|Cargo\.toml|.*\.csproj|docker-compose\.ya?ml|compose\.ya?ml|Dockerfile|schema\.prisma|openapi\.(ya?ml|json)|swagger\.(ya?ml|json)|.*\.sql)$/i;

/**
 * Formats relative paths as an indented listing, important files first, at most `max` entries, with a note
 * of how many were left out.
 */
export function formatListing(paths: string[], max = 150): string {
  const unique = [...new Set(paths.map(p => p.replace(/\\/g, '/')))];
  const ranked = unique.sort((a, b) => {
    const ia = important.test(a) ? 0 : 1;
    const ib = important.test(b) ? 0 : 1;
    if (ia !== ib) { return ia - ib; }
    const da = a.split('/').length;
    const db = b.split('/').length;
    return da !== db ? da - db : a.localeCompare(b);
  });
  const shown = ranked.slice(0, max).sort((a, b) => a.localeCompare(b));
  const lines = shown.map(p => `- ${p}`);
  if (ranked.length > shown.length) { lines.push(`- … and ${ranked.length - shown.length} more files`); }
  return lines.join('\n');
}
