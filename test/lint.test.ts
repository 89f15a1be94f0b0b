/**
 * The lint rules that guard the layering (eslint.config.js), run through ESLint's Node API on
 * code that breaks them: an upward import, a renderer import of the main process, an import
 * cycle, a raw error code. Each must be reported; the same code in an allowed place must not.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: root });

async function rulesFor(code: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('lint guards the layers', () => {
  it('electron/sdk importing electron/core fails lint (an upward import)', async () => {
    const msgs = await rulesFor("import { Core } from '../core/Core';\nexport const c = Core;\n", 'electron/sdk/Upward.ts');
    expect(msgs).toEqual([expect.stringMatching(/^import-x\/no-restricted-paths: .*electron\/sdk\/ is a domain layer/)]);
  });

  it("a domain layer importing the console's DTOs fails; the console itself may", async () => {
    const code = "import type { RoomSummary } from '../../shared/ipc/types';\nexport type R = RoomSummary;\n";
    expect(await rulesFor(code, 'electron/media/Dto.ts')).toEqual([expect.stringMatching(/^import-x\/no-restricted-paths/)]);
    expect(await rulesFor(code, 'electron/console/Dto.ts')).toEqual([]);
  });

  it('renderer importing electron fails lint', async () => {
    const msgs = await rulesFor("import { Core } from '../../electron/core/Core';\nexport const c = Core;\n", 'renderer/app/Upward.ts');
    expect(msgs).toEqual([expect.stringMatching(/^import-x\/no-restricted-paths: .*renderer\//)]);
  });

  it('a raw 9xxxxx code fails lint outside shared/codes.ts', async () => {
    expect(await rulesFor('export const code = 900400;\n', 'electron/signaling/Raw.ts')).toEqual([
      expect.stringMatching(/^no-restricted-syntax: Use the named code/),
    ]);
    expect(await rulesFor('export const ts = 999_999;\n', 'electron/signaling/Raw.ts')).toEqual([]);
  });

  describe('import cycles', () => {
    const dir = mkdtempSync(path.join(root, 'electron', 'lint-cycle-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('a ↔ b fails lint', async () => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'a.ts'), "import { b } from './b';\nexport const a = () => b;\n");
      writeFileSync(path.join(dir, 'b.ts'), "import { a } from './a';\nexport const b = () => a;\n");
      const [result] = await eslint.lintFiles([path.join(dir, 'a.ts')]);
      expect(result.messages.map((m) => m.ruleId)).toContain('import-x/no-cycle');
    });
  });
});
