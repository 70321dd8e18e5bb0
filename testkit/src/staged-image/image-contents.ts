// Checks on the staged image tree itself (registered next to the acceptance checks that run it):
// only the root manifests, common and the connector; no tests, benches, docs or secrets; production
// dependencies only; and the connector runs with its code read-only (the code is root's, it is uid 1000).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import type { StagedAcceptance } from './staged-acceptance.js';
import { REPO_ROOT } from './staged-acceptance.js';

const FORBIDDEN_DIRS = new Set(['test', 'bench', 'docs', 'secrets', 'testing-bin']);

function walk(dir: string, visit: (path: string, isDir: boolean) => void): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules') continue;
    const p = join(dir, e.name);
    visit(p, e.isDirectory());
    if (e.isDirectory()) walk(p, visit);
  }
}

export function registerImageContentChecks(staged: StagedAcceptance): void {
  describe('image contents', () => {
    test('the image holds the root package.json, lockfile and tsconfig.base.json, common and the connector, nothing else', () => {
      const image = staged.image();
      assert.deepEqual(readdirSync(image.root).sort(), ['common', image.connector, 'node_modules', 'package-lock.json', 'package.json', 'tsconfig.base.json'].sort());
      const found: string[] = [];
      walk(image.root, (p, isDir) => { if (isDir && FORBIDDEN_DIRS.has(p.split('/').pop()!)) found.push(relative(image.root, p)); });
      assert.deepEqual(found, [], 'tests, benches, docs and secrets stay out of the image');
      for (const ws of ['common', image.connector]) {
        assert.ok(existsSync(join(image.root, ws, 'dist', 'index.js')), `${ws}/dist is built into the image`);
      }
    });

    test('production dependencies only: nothing the lockfile marks dev-only, no tool of the repository', () => {
      const image = staged.image();
      const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
      const nm = join(image.root, 'node_modules');
      const names = readdirSync(nm).filter((n) => !n.startsWith('.')).flatMap((n) => (n.startsWith('@') ? readdirSync(join(nm, n)).map((s) => `${n}/${s}`) : [n]));
      assert.ok(names.length > 10, 'node_modules is installed');
      assert.deepEqual(names.filter((n) => lock.packages[`node_modules/${n}`]?.dev), [], 'dev-only packages found in the image');
      for (const tool of ['typescript', 'tsx', 's3rver', '@duckdb/node-api']) assert.ok(!names.includes(tool), `${tool} is in the image`);
      assert.deepEqual(readdirSync(join(nm, '@cio-dw')).sort(), ['common', image.connector].sort(), 'only this connector and common among the workspaces (no @cio-dw/testkit)');
      assert.ok(!existsSync(join(image.root, 'testkit')) && !existsSync(join(image.root, 'common', 'dist', 'testing')), 'the acceptance harness (test kit) is not in the image');
    });

    test('the connector code belongs to root and is not writable by the image user (it runs without writing there)', () => {
      const image = staged.image();
      const writable: string[] = [];
      walk(image.root, (p) => {
        const st = statSync(p);
        if (st.uid === image.uid || (st.mode & 0o002) !== 0) writable.push(relative(image.root, p));
      });
      assert.deepEqual(writable.slice(0, 10), []);
    });
  });
}
