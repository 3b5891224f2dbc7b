/**
 * Small apps for the budgets tests: teams built directly (no facade), in us-east-1.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { BedrockModel, CrossRegionGeo, InferenceRouting, Team } from '../../src';
import { ENV, testApp } from '../helpers/cfn';

export interface Fixture {
  readonly app: App;
  readonly stack: Stack;
  readonly alpha: Team;
  readonly bravo: Team;
}

/** Two teams: alpha (Claude Haiku and Sonnet, cross-Region US) and bravo (Nova Lite, in-Region). */
export function twoTeams(region = ENV.region): Fixture {
  const app = testApp();
  const stack = new Stack(app, 'S', { env: { account: ENV.account, region } });
  const alpha = new Team(stack, 'Alpha', {
    teamName: 'alpha',
    costCenter: 'CC-1',
    environment: 'prod',
    models: [BedrockModel.CLAUDE_HAIKU_4_5, BedrockModel.CLAUDE_SONNET_4_5],
    routing: InferenceRouting.crossRegion(CrossRegionGeo.US),
  });
  const bravo = new Team(stack, 'Bravo', { teamName: 'bravo', costCenter: 'CC-2', environment: 'prod', models: [BedrockModel.NOVA_LITE] });
  return { app, stack, alpha, bravo };
}

/** The only resource of a type in a template, with its logical id. */
export function only(template: Template, type: string): { id: string; resource: any } {
  const found = Object.entries(template.findResources(type));
  if (found.length !== 1) {
    throw new Error(`expected one ${type}, found ${found.length}`);
  }
  return { id: found[0][0], resource: found[0][1] };
}
