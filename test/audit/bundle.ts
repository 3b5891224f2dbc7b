/**
 * The waste-audit bundle for tests: built by the same script the build runs, when it is missing.
 */
import * as fs from 'fs';
import * as path from 'path';
import { PACKAGE_ROOT, bundleLambdas } from '../../scripts/bundle-lambdas';

export const WASTE_AUDIT_BUNDLE = path.join(PACKAGE_ROOT, 'assets', 'waste-audit', 'index.js');

/** Build the Lambda bundles if the waste-audit one is missing (call in `beforeAll`). */
export async function ensureBundle(): Promise<void> {
  if (!fs.existsSync(WASTE_AUDIT_BUNDLE)) {
    await bundleLambdas();
  }
}
