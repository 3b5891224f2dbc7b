import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/**
 * The composite alarm of each part of a split team-wide alarm (`TeamUsageAlarms`: a team's spend over more
 * profiles than one alarm can read is one alarm per group of profiles, combined by a composite alarm).
 */
const compositeOfPart = new WeakMap<cloudwatch.IAlarm, cloudwatch.IAlarm>();

/** Record that `composite` combines `parts`. */
export function recordCompositeParts(composite: cloudwatch.IAlarm, parts: cloudwatch.IAlarm[]): void {
  for (const part of parts) {
    compositeOfPart.set(part, composite);
  }
}

/**
 * The alarms less the parts whose composite is among them too: the composite's state already says whether any
 * part is in alarm. A part listed without its composite is kept.
 */
export function withoutListedParts(alarms: cloudwatch.IAlarm[]): cloudwatch.IAlarm[] {
  const listed = new Set(alarms);
  return alarms.filter((alarm) => {
    const composite = compositeOfPart.get(alarm);
    return composite === undefined || !listed.has(composite);
  });
}
