/** Markdown link and anchor checking for the repository's docs (GitHub's heading anchors). */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';

/** Operator docs that the README's table of contents must link. */
export const REQUIRED_DOCS = ['docs/packaging.md', 'docs/tailer-design.md', 'docs/lockdown.md', 'docs/self-monitoring.md', 'docs/webhook.md'];

/** GitHub's anchor for a heading text. */
export function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

/** Every anchor a markdown file defines (duplicates get -1, -2, ... as on GitHub). */
export function anchors(text: string): Set<string> {
  const out = new Set<string>();
  let fence = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('```')) fence = !fence;
    const m = fence ? null : /^#{1,6}\s+(.*)$/.exec(line);
    if (!m) continue;
    const base = slug(m[1] as string);
    let a = base;
    for (let i = 1; out.has(a); i += 1) a = `${base}-${i}`;
    out.add(a);
  }
  return out;
}

/** Markdown files under `dir`, recursively. */
export function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? markdownFiles(p) : n.endsWith('.md') ? [p] : [];
  });
}

/** Problems with the relative links of one markdown file (missing files or anchors). */
export function brokenLinks(root: string, file: string): string[] {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  const problems: string[] = [];
  for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = m[1] as string;
    if (/^[a-z]+:/.test(target)) continue;
    problems.push(...checkTarget(root, dirname(file), target.startsWith('#') ? `${basename(file)}${target}` : target).map((p) => `${relative(root, file)}: ${p}`));
  }
  return problems;
}

/** Problems with one link target relative to `base` (empty when it resolves). */
export function checkTarget(_root: string, base: string, target: string): string[] {
  const [path = '', anchor] = target.split('#');
  const abs = path === '' ? '' : join(base, path);
  if (path !== '' && !existsSync(abs)) return [`${target}: no such file`];
  if (anchor === undefined || !abs.endsWith('.md')) return [];
  return anchors(readFileSync(abs, 'utf8')).has(anchor) ? [] : [`${target}: no such section`];
}
