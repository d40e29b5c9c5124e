import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const GENERATOR = path.join(ROOT, 'labextension', 'scripts', 'generate-schema-types.js');

describe('wire schema', () => {
  // The generator runs in its own node process: prettier (used by json-schema-to-typescript)
  // loads plugins with dynamic import(), which jest's module sandbox does not allow.
  it('generated TypeScript types are up to date with the Python schema (run `jlpm build:schema`)', () => {
    const result = spawnSync(process.execPath, [GENERATOR, '--check'], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('the up-to-date check fails on a stale file', () => {
    const target = path.join(ROOT, 'labextension', 'src', 'schema.ts');
    const scratch = fs.mkdtempSync(path.join(require('os').tmpdir(), 'synthstudio-schema-'));
    const stale = path.join(scratch, 'schema.ts');
    fs.writeFileSync(stale, fs.readFileSync(target, 'utf8').replace('export interface Budget', 'export interface Budgt'));
    const result = spawnSync(process.execPath, [GENERATOR, '--check', '--target', stale], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/out of date/);
  });

  it('package.json and synthstudio_kernel share one version', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const py = fs.readFileSync(path.join(ROOT, 'synthstudio_kernel', '_version.py'), 'utf8');
    const match = /__version__\s*=\s*["']([^"']+)["']/.exec(py);
    expect(match).not.toBeNull();
    expect(pkg.version).toBe(match![1]);
  });

  it('builds into the folder the Python package declares for its lab extension', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.jupyterlab.outputDir).toBe('synthstudio_kernel/labextension');
    const init = fs.readFileSync(path.join(ROOT, 'synthstudio_kernel', '__init__.py'), 'utf8');
    expect(init).toContain(`"dest": "${pkg.name}"`);
  });
});
