#!/usr/bin/env node
/*
 * The npm registry mirror this project is built against serves only the linux-x64 builds of
 * platform-specific optional packages (other platforms answer 404), so `npm install` leaves them out
 * of package-lock.json while their parents still list them, and `npm ci` then refuses the lock.
 * This removes optionalDependencies entries that name a package the lock does not contain.
 * Run it after `npm install` whenever package-lock.json changes.
 */
const fs = require('fs');
const path = require('path');

const file = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const present = new Set(Object.keys(lock.packages).map((p) => p.replace(/^.*node_modules\//, '')));
let removed = 0;
for (const entry of Object.values(lock.packages)) {
  if (!entry.optionalDependencies) {
    continue;
  }
  for (const name of Object.keys(entry.optionalDependencies)) {
    if (!present.has(name)) {
      delete entry.optionalDependencies[name];
      removed++;
    }
  }
  if (Object.keys(entry.optionalDependencies).length === 0) {
    delete entry.optionalDependencies;
  }
}
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
console.log(`package-lock.json: removed ${removed} optional dependencies the registry does not serve`);
