/** Resource types that carry IAM policy documents (what the statement rules read). */
const POLICY_TYPES = [
  'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::RolePolicy', 'AWS::IAM::UserPolicy', 'AWS::IAM::GroupPolicy',
  'AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group',
];
const PROFILE_TYPE = 'AWS::Bedrock::ApplicationInferenceProfile';

/**
 * The resource types each rule can report on (every other type is NOT_APPLICABLE for it, as its own first check
 * says): the pack runs a rule only on these, instead of every rule on every resource.
 */
export const RULE_TYPES: Record<string, ReadonlySet<string>> = {
  IAM1: new Set(POLICY_TYPES),
  IAM2: new Set(POLICY_TYPES),
  IAM3: new Set(POLICY_TYPES),
  IAM4: new Set(POLICY_TYPES),
  IAM5: new Set(['AWS::IAM::Role']),
  IAM6: new Set(['AWS::IAM::Role']),
  TAG1: new Set([PROFILE_TYPE]),
  LOG1: new Set([PROFILE_TYPE, ...POLICY_TYPES]),
  BUD1: new Set([PROFILE_TYPE]),
  BUD2: new Set(['AWS::Budgets::Budget']),
  KB1: new Set(['AWS::Bedrock::KnowledgeBase']),
};
