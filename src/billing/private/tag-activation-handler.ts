/**
 * Source of the Lambda function behind `CostAllocationTagActivation` (Node.js, inline, AWS SDK v3 of the runtime).
 *
 * Why not `AwsCustomResource`: UpdateCostAllocationTagsStatus reports keys it could not activate in `Errors[]`
 * instead of failing, and `AwsCustomResource` flattens that list into `Errors.0.TagKey`... attributes that exist
 * only when there are errors. A `Fn::GetAtt` or Output on them would fail every deployment in which all keys were
 * activated. This handler always returns `ErrorCount`, `FailedTagKeys` and `Errors` (a JSON list), so the
 * attributes and the Output exist in both cases.
 *
 * Properties: `TagKeys` (at most 20), `FailOnError` ('true' to fail the deployment when AWS reports any error).
 * Delete does nothing: deactivating keys could break other reports that filter on them.
 */
export const TAG_ACTIVATION_HANDLER_SOURCE = `'use strict';
const https = require('https');
const { CostExplorerClient, UpdateCostAllocationTagsStatusCommand } = require('@aws-sdk/client-cost-explorer');
const MAX_ERRORS_LENGTH = 2000;
let client;
exports.handler = async (event) => {
  const props = event.ResourceProperties || {};
  console.log(JSON.stringify({ RequestType: event.RequestType, LogicalResourceId: event.LogicalResourceId, TagKeys: props.TagKeys }));
  const physicalId = event.PhysicalResourceId || 'cost-allocation-tags-' + event.LogicalResourceId;
  let status = 'SUCCESS';
  let reason = 'OK';
  let data = { ErrorCount: '0', FailedTagKeys: 'none', Errors: '[]' };
  try {
    if (event.RequestType !== 'Delete') {
      data = await activate(props.TagKeys || [], String(props.FailOnError) === 'true');
    }
  } catch (e) {
    status = 'FAILED';
    reason = String((e && e.message) || e).slice(0, 1000);
  }
  await respond(event, status, reason, physicalId, data);
};
async function activate(tagKeys, failOnError) {
  client = client || new CostExplorerClient({ region: 'us-east-1' });
  let errors;
  try {
    const response = await client.send(new UpdateCostAllocationTagsStatusCommand({
      CostAllocationTagsStatus: tagKeys.map((TagKey) => ({ TagKey, Status: 'Active' })),
    }));
    errors = (response.Errors || []).map((e) => ({ TagKey: e.TagKey, Code: e.Code, Message: e.Message }));
  } catch (e) {
    if (failOnError) throw e;
    const code = (e && e.name) || 'Error';
    errors = tagKeys.map((TagKey) => ({ TagKey, Code: code, Message: String((e && e.message) || e) }));
  }
  console.log(JSON.stringify({ Errors: errors }));
  if (failOnError && errors.length > 0) {
    throw new Error('AWS did not activate ' + errors.map((e) => e.TagKey + ' (' + e.Code + ')').join(', '));
  }
  let text = JSON.stringify(errors);
  if (text.length > MAX_ERRORS_LENGTH) {
    text = text.slice(0, MAX_ERRORS_LENGTH) + '... (truncated: see the function log)';
  }
  return {
    ErrorCount: String(errors.length),
    FailedTagKeys: errors.length > 0 ? errors.map((e) => e.TagKey).join(',') : 'none',
    Errors: text,
  };
}
function respond(event, status, reason, physicalId, data) {
  const body = JSON.stringify({
    Status: status, Reason: reason, PhysicalResourceId: physicalId, StackId: event.StackId,
    RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId, NoEcho: false, Data: data,
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
