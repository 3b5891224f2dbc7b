import { Stack, Stage, StageProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { StackSetStackSynthesizer } from './stack-set-synthesizer';

/** Properties of a `MemberAccountStage`. */
export interface MemberAccountStageProps extends StageProps {
  /**
   * Name of the member stack's template in the cloud assembly (not the name of the stacks the StackSet creates:
   * CloudFormation names those `StackSet-<stack set name>-<id>`).
   *
   * @default - the stage id followed by `-member`
   */
  readonly stackName?: string;

  /**
   * Description of the member template.
   *
   * @default - a description naming the library
   */
  readonly description?: string;
}

/**
 * A stage holding one environment-agnostic stack, `stack`, whose template a `MemberStackSet` deploys to the
 * accounts and Regions of an organization. Put a `BedrockGovernance` (teams, profiles, grants, alarms, dashboard)
 * in `stack`. The stack is synthesized in its own nested cloud assembly, so `cdk deploy` does not deploy it to
 * the management account by mistake.
 */
export class MemberAccountStage extends Stage {
  /** The member stack: deployed by a StackSet, never by `cdk deploy`. */
  public readonly stack: Stack;

  constructor(scope: Construct, id: string, props: MemberAccountStageProps = {}) {
    super(scope, id, props);
    this.stack = new Stack(this, 'Member', {
      stackName: props.stackName ?? `${id}-member`,
      description: props.description ?? 'cdk-bedrock-governance member account: team inference profiles, grants, alarms (deployed by a CloudFormation StackSet)',
      synthesizer: new StackSetStackSynthesizer(),
      analyticsReporting: false,
    });
  }
}
