/**
 * The TypeScript examples of docs/*.md type-check as rosetta compiles the README's: each block inside its fixture
 * (`fixture=<name>` from rosetta/, the default fixture otherwise, none for `nofixture`), its imports moved to the
 * top (with `declare` statements), `cdk-bedrock-governance` resolved to src/. One program for every block.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');
const DOCS = path.join(ROOT, 'docs');

interface Snippet { readonly doc: string; readonly line: number; readonly info: string; readonly code: string }

function snippets(): Snippet[] {
  const out: Snippet[] = [];
  for (const doc of fs.readdirSync(DOCS).filter((f) => f.endsWith('.md')).sort()) {
    const text = fs.readFileSync(path.join(DOCS, doc), 'utf8');
    const fence = /^```(ts|typescript)([^\n]*)\n([\s\S]*?)^```$/gm;
    for (let m = fence.exec(text); m; m = fence.exec(text)) {
      out.push({ doc, line: text.slice(0, m.index).split('\n').length, info: m[2].trim(), code: m[3] });
    }
  }
  return out;
}

function withFixture(snippet: Snippet): string {
  const lines = snippet.code.split('\n');
  // rosetta hoists imports and `declare` statements out of the fixture's body
  const hoisted = (l: string) => l.startsWith('import ') || l.startsWith('declare ');
  const imports = lines.filter(hoisted);
  const body = lines.filter((l) => !hoisted(l)).join('\n');
  if (snippet.info.includes('nofixture')) {
    return snippet.code;
  }
  const name = /fixture=(\S+)/.exec(snippet.info)?.[1] ?? 'default';
  const fixture = fs.readFileSync(path.join(ROOT, 'rosetta', `${name}.ts-fixture`), 'utf8');
  expect(fixture).toContain('/// here');
  return `${imports.join('\n')}\n${fixture.replace('/// here', body)}`;
}

test('every TypeScript block of docs/*.md compiles in its fixture', () => {
  const all = snippets();
  expect(all.length).toBeGreaterThan(20);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-bg-docs-'));
  try {
    const files = all.map((s, i) => {
      const file = path.join(dir, `${s.doc.replace(/\W/g, '_')}_${s.line}_${i}.ts`);
      fs.writeFileSync(file, withFixture(s).split("from 'cdk-bedrock-governance'").join(`from '${path.join(ROOT, 'src')}'`));
      return file;
    });
    const program = ts.createProgram(files, {
      strict: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      esModuleInterop: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['node'],
      typeRoots: [path.join(ROOT, 'node_modules', '@types')],
      baseUrl: ROOT,
      paths: { '*': ['node_modules/*'] },
    });
    const errors = ts.getPreEmitDiagnostics(program)
      .filter((d) => d.file && files.includes(path.resolve(d.file.fileName)))
      .map((d) => {
        const snippet = all[files.indexOf(path.resolve(d.file!.fileName))];
        return `docs/${snippet.doc} (block at line ${snippet.line}): ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
    expect(errors).toEqual([]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
