import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { AwsCall } from '../../../local/aws-call-journal';
import { LOCAL_ENVIRONMENT, type CloudFormationTemplate } from '../../../local/cloudformation-template';

/**
 * Checks AWS calls recorded on the local stack against the roles of the synthesized template,
 * with an IAM policy simulator: what the deployed role of each caller would allow or deny. The
 * template is resolved the way the local stack resolves it (its account, region and physical
 * names), so the recorded resource ARNs and the policies' ARNs are the same strings.
 */

type PolicyDocument = { Version?: string; Statement: unknown[] };

/** A call as the test checks it: recorded, or implied by one that was (a KMS call S3 or DynamoDB makes for its caller). */
export interface CheckedCall {
  readonly caller: string;
  readonly operation: string;
  readonly action: string;
  readonly resource: string;
  /** The recorded call that implies it, for a call AWS makes on the caller's behalf. */
  readonly impliedBy?: string;
}

export interface CallVerdict extends CheckedCall {
  readonly role: string;
  /** 'Allowed', 'ImplicitlyDenied', 'ExplicitlyDenied', or 'Error: …' when the simulator refuses the request. */
  readonly result: string;
}

/** The logical id of the role a function (Role) or state machine (RoleArn) runs with. */
export function roleOf(template: CloudFormationTemplate, caller: string): string {
  const properties = template.resource(caller).Properties ?? {};
  const role = properties.Role ?? properties.RoleArn;
  const roleId = role?.['Fn::GetAtt']?.[0];
  if (typeof roleId !== 'string') throw new Error(`${caller} does not run with a role of the template`);
  return roleId;
}

/**
 * The identity policies of a role in the template: its inline policies, the AWS::IAM::Policy
 * resources attached to it, and its customer managed policies of the template. An AWS managed
 * policy cannot be read here: it is an error rather than a silent allow or deny.
 */
export function rolePolicies(
  template: CloudFormationTemplate,
  roleId: string,
): Array<{ name: string; policy: PolicyDocument }> {
  const role = template.resource(roleId).Properties ?? {};
  const inline = (role.Policies ?? []).map((policy: { PolicyName: string; PolicyDocument: unknown }) => ({
    name: policy.PolicyName,
    policy: template.resolve(policy.PolicyDocument),
  }));
  const attached = Object.entries(template.resources)
    .filter(
      ([, resource]) =>
        (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') &&
        (resource.Properties?.Roles ?? []).some((ref: { Ref?: string }) => ref.Ref === roleId),
    )
    .map(([policyId, resource]) => ({ name: policyId, policy: template.resolve(resource.Properties!.PolicyDocument) }));
  const managed = (role.ManagedPolicyArns ?? []).map((arn: unknown) => {
    const policyId = (arn as { Ref?: string }).Ref;
    if (!policyId || template.resources[policyId]?.Type !== 'AWS::IAM::ManagedPolicy') {
      throw new Error(`${roleId} has a managed policy the test cannot read: ${JSON.stringify(arn)}`);
    }
    return { name: policyId, policy: template.resolve(template.resource(policyId).Properties!.PolicyDocument) };
  });
  return [...inline, ...attached, ...managed];
}

/** The KMS key ARN a resource of the template is encrypted with, if a customer managed one. */
function keyOfResource(template: CloudFormationTemplate, type: string, name: string): string | undefined {
  for (const [logicalId, resource] of template.ofType(type)) {
    if (template.physicalName(logicalId) !== name) continue;
    const properties = template.resolve(resource.Properties ?? {});
    if (type === 'AWS::S3::Bucket') {
      const byDefault =
        properties.BucketEncryption?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault;
      return byDefault?.SSEAlgorithm === 'aws:kms' ? byDefault.KMSMasterKeyID : undefined;
    }
    return properties.SSESpecification?.KMSMasterKeyId;
  }
  return undefined;
}

/** What S3 asks of the caller's principal on the bucket's key (SSE-KMS), by S3 operation. */
const S3_KMS_ACTIONS: Record<string, string[]> = {
  PutObject: ['kms:GenerateDataKey'],
  CreateMultipartUpload: ['kms:GenerateDataKey'],
  UploadPart: ['kms:Decrypt'],
  CompleteMultipartUpload: ['kms:Decrypt'],
  GetObject: ['kms:Decrypt'],
};

/**
 * The KMS calls AWS makes with the caller's permissions when it uses a resource encrypted with
 * a customer managed key: S3 SSE-KMS generates a data key for a write and decrypts it for a
 * multipart upload's parts and for a read; DynamoDB decrypts the table key.
 */
export function impliedCalls(template: CloudFormationTemplate, call: CheckedCall): CheckedCall[] {
  const implied = (key: string | undefined, actions: string[]) =>
    key
      ? actions.map((action) => ({
          caller: call.caller,
          operation: call.operation,
          action,
          resource: key,
          impliedBy: `${call.action} ${call.resource}`,
        }))
      : [];
  const s3 = /^arn:[^:]+:s3:::([^/]+)/.exec(call.resource);
  if (call.action.startsWith('s3:') && s3) {
    return implied(keyOfResource(template, 'AWS::S3::Bucket', s3[1]), S3_KMS_ACTIONS[call.operation] ?? []);
  }
  const table = /^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/([^/]+)/.exec(call.resource);
  if (call.action.startsWith('dynamodb:') && table) {
    return implied(keyOfResource(template, 'AWS::DynamoDB::Table', table[1]), ['kms:Decrypt']);
  }
  return [];
}

/** The key policy of a key of the template; a key from elsewhere is given the default policy (IAM decides). */
function keyPolicy(template: CloudFormationTemplate, keyArn: string): PolicyDocument {
  for (const [logicalId, resource] of template.ofType('AWS::KMS::Key')) {
    if (template.attribute(logicalId, 'Arn') === keyArn) return template.resolve(resource.Properties!.KeyPolicy);
  }
  const root = `arn:${LOCAL_ENVIRONMENT.partition}:iam::${LOCAL_ENVIRONMENT.accountId}:root`;
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: root }, Action: 'kms:*', Resource: '*' }],
  };
}

/**
 * Simulates each call (and the KMS calls it implies) as its caller's role in the template,
 * optionally with `adjust` applied to the role's policies first (to prove a check has teeth).
 */
export async function simulateCalls(
  template: CloudFormationTemplate,
  calls: readonly (AwsCall | CheckedCall)[],
  adjust: (roleId: string, policies: Array<{ name: string; policy: PolicyDocument }>) => void = () => undefined,
): Promise<CallVerdict[]> {
  const checked = calls.flatMap((call) => {
    const plain: CheckedCall = {
      caller: call.caller,
      operation: call.operation,
      action: call.action,
      resource: call.resource,
    };
    return [plain, ...impliedCalls(template, plain)];
  });
  const unique = [...new Map(checked.map((call) => [JSON.stringify(call), call])).values()];
  const verdicts: CallVerdict[] = [];
  for (const call of unique) {
    const role = roleOf(template, call.caller);
    const identityPolicies = rolePolicies(template, role);
    adjust(role, identityPolicies);
    const response = await runSimulation(
      {
        request: {
          principal: template.attribute(role, 'Arn'),
          action: call.action,
          resource: { resource: call.resource, accountId: LOCAL_ENVIRONMENT.accountId },
          contextVariables: {},
        },
        identityPolicies,
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        ...(call.action.startsWith('kms:') && { resourcePolicy: keyPolicy(template, call.resource) }),
      },
      {},
    );
    const result =
      response.resultType === 'error' ? `Error: ${JSON.stringify(response.errors)}` : String(response.overallResult);
    verdicts.push({ ...call, role, result });
  }
  return verdicts;
}
