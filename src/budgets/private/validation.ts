import { Names } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { invalidProp } from '../../private/errors';
import { isUnresolved } from '../../private/validate';

/**
 * Email addresses AWS Budgets and Cost Anomaly Detection accept (the pattern of
 * `AWS::CE::AnomalySubscription.Subscriber.Address`, email branch).
 */
const EMAIL_PATTERN = /^[a-zA-Z0-9.!#$%&'*+=?^_`{|}~-]+@[a-zA-Z0-9_-]+(\.[a-zA-Z0-9_-]+)+$/;

/** A budget notification takes one SNS subscriber and at most this many email subscribers. */
export const MAX_EMAIL_SUBSCRIBERS = 10;

/** Largest percentage threshold this library accepts for budget notifications and actions. */
export const MAX_PERCENT_THRESHOLD = 1000;

/** Validate a list of email subscribers: at most 10, each an email address, no duplicates. */
export function validateEmails(scope: IConstruct, prop: string, emails: string[]): void {
  if (emails.length > MAX_EMAIL_SUBSCRIBERS) {
    throw invalidProp(scope, prop, emails,
      `${emails.length} email subscribers, but AWS takes at most ${MAX_EMAIL_SUBSCRIBERS} per notification (plus one SNS topic)`,
      'Subscribe the extra addresses to an SNS topic and pass the topic instead');
  }
  const seen = new Set<string>();
  emails.forEach((email, index) => {
    if (isUnresolved(email)) {
      return;
    }
    if (!EMAIL_PATTERN.test(email)) {
      throw invalidProp(scope, `${prop}[${index}]`, email, 'not an email address', 'Pass an address such as \'finops@example.com\'');
    }
    const key = email.toLowerCase();
    if (seen.has(key)) {
      throw invalidProp(scope, `${prop}[${index}]`, email, 'the address is listed twice', 'List each address once');
    }
    seen.add(key);
  });
}

/** Validate a percentage threshold in (0, 1000]. Tokens are passed through. */
export function validatePercentThreshold(scope: IConstruct, prop: string, value: number): void {
  if (isUnresolved(value)) {
    return;
  }
  if (!Number.isFinite(value) || value <= 0 || value > MAX_PERCENT_THRESHOLD) {
    throw invalidProp(scope, prop, value,
      `percentage thresholds must be greater than 0 and at most ${MAX_PERCENT_THRESHOLD}`,
      'Pass e.g. 80 for 80% of the budget');
  }
}

/** Validate an amount in USD that must be finite and greater than zero. Tokens are passed through. */
export function validatePositiveUsd(scope: IConstruct, prop: string, value: number, fix: string): void {
  if (isUnresolved(value)) {
    return;
  }
  if (!Number.isFinite(value) || value <= 0) {
    throw invalidProp(scope, prop, value, 'amounts in USD must be finite numbers greater than 0', fix);
  }
}

/** Validate a budget name: 1-100 characters, no ':' or '\', no '/action/'. */
export function validateBudgetName(scope: IConstruct, name: string): void {
  if (isUnresolved(name)) {
    return;
  }
  if (name.length < 1 || name.length > 100) {
    throw invalidProp(scope, 'budgetName', name, `budget names must be 1-100 characters long (got ${name.length})`, 'Use a shorter name');
  }
  if (/[:\\]/.test(name) || name.includes('/action/')) {
    throw invalidProp(scope, 'budgetName', name, 'budget names may not contain \':\', \'\\\' or \'/action/\'', 'Remove those characters');
  }
}

/** Validate the name of an anomaly monitor or subscription: 1-1024 characters, no control characters. */
export function validateCostExplorerName(scope: IConstruct, prop: string, name: string): void {
  if (isUnresolved(name)) {
    return;
  }
  // eslint-disable-next-line no-control-regex
  if (name.length < 1 || name.length > 1024 || /[\u0000-\u001f]/.test(name)) {
    throw invalidProp(scope, prop, name, 'names must be 1-1024 characters long without control characters', 'Pass a shorter, printable name');
  }
}

/** A stable, stack-unique default name derived from the construct path. */
export function defaultName(scope: IConstruct, maxLength: number): string {
  return Names.uniqueResourceName(scope, { maxLength, separator: '-' });
}
