import { Validations } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';

/**
 * How `Validations.acknowledge` keys an unqualified rule id in the construct metadata (e.g. `Annotation::<id>`),
 * learned once from aws-cdk-lib itself on a detached construct, so this file does not restate its format.
 * `undefined` when the key is not `<prefix><id>`: then every call goes through `Validations.acknowledge`.
 */
let learnedPrefix: string | undefined | null = null;

function prefix(): string | undefined {
  if (learnedPrefix === null) {
    const probe = new Construct(undefined as any, 'AcknowledgementProbe');
    const probeId = 'ProbeRule-1';
    Validations.of(probe).acknowledge({ id: probeId, reason: 'probe' });
    const entry = probe.node.metadata.find((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY);
    const key = entry ? Object.keys(entry.data ?? {})[0] : undefined;
    learnedPrefix = key !== undefined && key.endsWith(probeId) ? key.slice(0, key.length - probeId.length) : undefined;
  }
  return learnedPrefix;
}

/**
 * Acknowledge a validation finding (a policy-validation plugin's rule id, e.g. `AwsSolutions-IAM5[...]`) on a
 * construct, with a reason, like `Validations.of(scope).acknowledge({ id, reason })` but without recording a
 * stack trace per call (about 0.2 ms each, several per team). The validation report reads the same metadata
 * entry. Not for ids of `Annotations` warnings: those go through `Validations.acknowledge`, which also
 * removes the warnings already added; qualified ids (`Plugin::rule`, a `::` before any `[`) too.
 */
export function acknowledgeFinding(scope: IConstruct, id: string, reason: string): void {
  const p = prefix();
  if (p === undefined || id.split('[')[0].includes('::')) {
    Validations.of(scope).acknowledge({ id, reason });
    return;
  }
  scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [`${p}${id}`]: reason }, { stackTrace: false });
}
