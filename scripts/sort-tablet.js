/**
 * Rewrites a jsii-rosetta tablet with its snippets in key order. Rosetta writes them in the order its workers
 * finish, which changes from run to run; CI fails when the build rewrites a tracked file, so the tablet must
 * come out the same for the same snippets.
 *
 * Usage: node scripts/sort-tablet.js rosetta/snippets.tabl.json
 */
const fs = require('fs');

const file = process.argv[2];
if (!file) {
  throw new Error('usage: node scripts/sort-tablet.js <tablet.json>');
}
const tablet = JSON.parse(fs.readFileSync(file, 'utf8'));
const sorted = {};
for (const key of Object.keys(tablet.snippets ?? {}).sort()) {
  sorted[key] = tablet.snippets[key];
}
fs.writeFileSync(file, JSON.stringify({ ...tablet, snippets: sorted }));
