/**
 * Print a short summary of a synthesized cloud assembly: where the templates are, and per stack
 * the resources, the application inference profiles and the teams they belong to.
 *
 * Usage: tsx scripts/summarize-assembly.ts <cdk.out>
 */
import * as fs from 'fs';
import * as path from 'path';

interface Template {
  readonly Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
}

function main(outdir: string): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  const rows: string[][] = [];
  const teams = new Set<string>();
  let profiles = 0;
  for (const [name, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
    if (artifact.type !== 'aws:cloudformation:stack') {
      continue;
    }
    const file = path.join(outdir, artifact.properties.templateFile);
    const template: Template = JSON.parse(fs.readFileSync(file, 'utf8'));
    const resources = Object.values(template.Resources ?? {});
    const stackProfiles = resources.filter((r) => r.Type === 'AWS::Bedrock::ApplicationInferenceProfile');
    for (const profile of stackProfiles) {
      const tags = (profile.Properties?.Tags ?? []) as Array<{ Key: string; Value: unknown }>;
      const team = tags.find((t) => t.Key === 'team');
      if (team && typeof team.Value === 'string') {
        teams.add(team.Value);
      }
    }
    profiles += stackProfiles.length;
    rows.push([name, String(resources.length), String(stackProfiles.length), String(fs.statSync(file).size), path.relative(process.cwd(), file)]);
  }
  console.log(`Synthesized ${rows.length} stack(s) into ${path.resolve(outdir)}`);
  console.log(`Teams: ${teams.size} (${[...teams].sort().join(', ')}); application inference profiles: ${profiles}`);
  const header = ['stack', 'resources', 'profiles', 'template bytes', 'template'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const row of [header, ...rows]) {
    console.log(row.map((cell, i) => cell.padEnd(widths[i])).join('  '));
  }
}

main(process.argv[2] ?? 'cdk.out');
