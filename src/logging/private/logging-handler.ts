/**
 * Source of the inline Lambda function behind `InvocationLogging` with `inlineHandler: true` (Node.js, AWS SDK v3 of
 * the runtime). Its code is in the template (ZipFile), so a template that uses it needs no CDK file asset and can be
 * deployed by a CloudFormation StackSet.
 *
 * Properties: `LoggingConfig` (the `loggingConfig` of PutModelInvocationLoggingConfiguration; CloudFormation passes
 * booleans as the strings 'true'/'false', turned back into booleans here) and `DeleteOnRemove` ('true' to call
 * DeleteModelInvocationLoggingConfiguration when the resource is deleted; otherwise Delete leaves the setting on).
 * The physical id is fixed per account and Region, so an update never triggers a delete of the old resource.
 */
export const LOGGING_HANDLER_SOURCE = `'use strict';
const https = require('https');
const { BedrockClient, PutModelInvocationLoggingConfigurationCommand, DeleteModelInvocationLoggingConfigurationCommand } = require('@aws-sdk/client-bedrock');
let client;
exports.handler = async (event) => {
  const props = event.ResourceProperties || {};
  console.log(JSON.stringify({ RequestType: event.RequestType, LogicalResourceId: event.LogicalResourceId }));
  const physicalId = event.PhysicalResourceId || props.PhysicalId || 'bedrock-invocation-logging';
  let status = 'SUCCESS';
  let reason = 'OK';
  try {
    client = client || new BedrockClient({});
    if (event.RequestType === 'Delete') {
      if (String(props.DeleteOnRemove) === 'true') {
        await client.send(new DeleteModelInvocationLoggingConfigurationCommand({}));
      }
    } else {
      await client.send(new PutModelInvocationLoggingConfigurationCommand({ loggingConfig: booleans(props.LoggingConfig || {}) }));
    }
  } catch (e) {
    status = 'FAILED';
    reason = String((e && e.message) || e).slice(0, 1000);
  }
  await respond(event, status, reason, physicalId);
};
function booleans(value) {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (Array.isArray(value)) return value.map(booleans);
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = booleans(v);
    return out;
  }
  return value;
}
function respond(event, status, reason, physicalId) {
  const body = JSON.stringify({
    Status: status, Reason: reason, PhysicalResourceId: physicalId, StackId: event.StackId,
    RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId, NoEcho: false, Data: {},
  });
  const url = new URL(event.ResponseURL);
  return new Promise((resolve, reject) => {
    const request = https.request({
      hostname: url.hostname, path: url.pathname + url.search, method: 'PUT',
      headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
    }, (response) => { response.resume(); response.on('end', resolve); });
    request.on('error', reject);
    request.end(body);
  });
}
`;
