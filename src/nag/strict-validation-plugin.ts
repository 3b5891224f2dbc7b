import { IPolicyValidationContextBeta1, IPolicyValidationPluginBeta1, PolicyValidationPluginReportBeta1 } from 'aws-cdk-lib';

/**
 * Wraps a policy validation plugin whose findings carry no severity, such as AWS Control Tower's proactive controls
 * (`@cdklabs/cdk-validator-cfnguard`), so that every finding it reports counts as an error.
 *
 * Why: once any finding of a plugin is acknowledged, aws-cdk-lib recomputes the plugin's result from the findings
 * left, and fails only on those with severity `error` or `fatal`. Findings without a severity then all pass
 * `cdk synth` (they stay listed in `validation-report.json`). This library acknowledges the Control Tower controls
 * its own resources do not meet, so without the wrapper, registering `CfnGuardValidator` on a governed app would
 * let every other Control Tower finding of the app pass.
 *
 * The wrapper keeps the plugin's name, so acknowledgement ids stay `<plugin name>::<rule>`.
 *
 * @example
 * // e.g. `new CfnGuardValidator()` from @cdklabs/cdk-validator-cfnguard
 * declare const controlTower: IPolicyValidationPluginBeta1;
 * const app = new App();
 * Validations.of(app).addPlugins(new StrictValidationPlugin(controlTower));
 */
export class StrictValidationPlugin implements IPolicyValidationPluginBeta1 {
  /** The wrapped plugin's name. */
  public readonly name: string;

  /** The wrapped plugin's version. */
  public readonly version?: string;

  /** The wrapped plugin's rule ids. */
  public readonly ruleIds?: string[];

  constructor(private readonly plugin: IPolicyValidationPluginBeta1) {
    this.name = plugin.name;
    this.version = plugin.version;
    this.ruleIds = plugin.ruleIds;
  }

  /** Runs the wrapped plugin; a finding without a severity gets `error`. */
  public validate(context: IPolicyValidationContextBeta1): PolicyValidationPluginReportBeta1 {
    const report = this.plugin.validate(context);
    return {
      ...report,
      violations: report.violations.map((v) => ({ ...v, severity: v.severity ?? 'error' })),
    };
  }
}
