/** How every layer words a failed schema check: one formatter for validation issues. */

export interface IssueLike {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** `rtpParameters.codecs[0].mimeType`: an issue's path as a reader writes it ('' at the root). */
export function issuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out;
}

/** "where: why" for the first issue of a failed parse, e.g. `dtlsParameters.fingerprints: Too small: …`. */
export function describeIssues(issues: readonly IssueLike[], root = '(root)'): string {
  const issue = issues[0];
  if (!issue) return 'invalid data';
  return `${issuePath(issue.path) || root}: ${issue.message}`;
}
