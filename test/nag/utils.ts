/**
 * Test helpers for the BedrockGovernance pack, after cdk-nag's own `test/rules/utils.ts`: each rule
 * is checked for compliance, non-compliance (with its exact finding ids) and validation failure.
 */
import { PolicyValidationPluginReport, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { BedrockGovernanceChecks, BedrockGovernanceChecksProps } from '../../src/nag';
import { ENV, testApp } from '../helpers/cfn';

/** The description cdk-nag gives a rule that threw, in verbose mode. */
export const RULE_THREW = 'Rule threw an error during validation. ';

/** A stack in the test environment, in a fresh app. */
export function newStack(id = 'Stack'): Stack {
  return new Stack(testApp(), id, { env: ENV });
}

/** An environment-agnostic stack, in a fresh app. */
export function agnosticStack(id = 'Stack'): Stack {
  return new Stack(testApp(), id);
}

/** Run the pack (verbose, so rule errors carry their message) over a scope. */
export function check(scope: IConstruct, props: BedrockGovernanceChecksProps = {}): PolicyValidationPluginReport {
  return new BedrockGovernanceChecks(undefined, { verbose: true, ...props }).validateScope(scope);
}

/** A violation reduced to what the tests compare. */
export interface Finding {
  readonly id: string;
  readonly paths: string[];
  readonly severity: string;
}

/** The findings of one rule (`BedrockGovernance-IAM1` and `BedrockGovernance-IAM1[...]`), sorted by id. */
export function findingsOf(report: PolicyValidationPluginReport, ruleId: string): Finding[] {
  return report.violations
    .filter((v) => v.ruleName === ruleId || v.ruleName.startsWith(`${ruleId}[`))
    .filter((v) => !v.description.startsWith(RULE_THREW))
    .map((v) => ({ id: v.ruleName, paths: v.violatingResources.map((r) => r.constructPath ?? '').sort(), severity: v.severity ?? '' }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** The finding ids of one rule, sorted. */
export function findingIds(report: PolicyValidationPluginReport, ruleId: string): string[] {
  return findingsOf(report, ruleId).map((f) => f.id);
}

/** The rule errors (`Rule threw ...`) of one rule: the error messages, sorted. */
export function ruleErrors(report: PolicyValidationPluginReport, ruleId: string): string[] {
  return report.violations
    .filter((v) => v.ruleName === ruleId && v.description.startsWith(RULE_THREW))
    .map((v) => v.description.slice(RULE_THREW.length))
    .sort();
}

/** Every violation id of the report, sorted (errors included). */
export function allIds(report: PolicyValidationPluginReport): string[] {
  return report.violations.map((v) => v.ruleName).sort();
}
