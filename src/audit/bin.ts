#!/usr/bin/env node
/** Entry point of `npx cdk-bedrock-governance`: see `cli.ts`. */
import { main } from './cli';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
}, (error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
