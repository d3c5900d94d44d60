import * as fs from 'node:fs';
import * as path from 'node:path';

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, any>;
  readonly Metadata?: Record<string, any>;
  readonly DependsOn?: string | string[];
}

/** Account, region and partition the local stack pretends to run in. */
export const LOCAL_ENVIRONMENT = {
  accountId: '000000000000',
  region: 'us-east-1',
  partition: 'aws',
  urlSuffix: 'amazonaws.com',
} as const;

/**
 * A synthesized CloudFormation template, read the way CloudFormation would: resources by type,
 * and intrinsic functions (Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split) resolved
 * against local physical names, so the local stack runs exactly what a deployment would.
 */
export class CloudFormationTemplate {
  readonly resources: Readonly<Record<string, CfnResource>>;

  constructor(
    body: { Resources: Record<string, CfnResource> },
    readonly stackName: string,
    /** Folder of the cloud assembly: where `aws:asset:path` folders are. */
    readonly assemblyDirectory: string,
  ) {
    this.resources = body.Resources;
  }

  static load(templateFile: string, stackName: string): CloudFormationTemplate {
    return new CloudFormationTemplate(
      JSON.parse(fs.readFileSync(templateFile, 'utf8')),
      stackName,
      path.dirname(templateFile),
    );
  }

  /** Logical ids and resources of one type, in template order. */
  ofType(type: string): Array<[string, CfnResource]> {
    return Object.entries(this.resources).filter(([, resource]) => resource.Type === type);
  }

  resource(logicalId: string): CfnResource {
    const resource = this.resources[logicalId];
    if (!resource) throw new Error(`Template ${this.stackName} has no resource ${logicalId}`);
    return resource;
  }

  /** The folder of a resource's bundled asset (e.g. a Lambda function's code). */
  assetDirectory(logicalId: string): string {
    const assetPath = this.resource(logicalId).Metadata?.['aws:asset:path'];
    if (!assetPath)
      throw new Error(`${logicalId} has no aws:asset:path metadata; synthesize with asset metadata enabled`);
    return path.resolve(this.assemblyDirectory, assetPath);
  }

  /**
   * The name a resource gets locally (what `Ref` returns). Templates carry no physical names,
   * so the logical id stands in, shaped to the service's naming rules.
   */
  physicalName(logicalId: string): string {
    const resource = this.resource(logicalId);
    switch (resource.Type) {
      case 'AWS::S3::Bucket':
        return (resource.Properties?.BucketName as string | undefined) ?? logicalId.toLowerCase().slice(0, 63);
      case 'AWS::DynamoDB::Table':
        return (resource.Properties?.TableName as string | undefined) ?? logicalId;
      case 'AWS::Lambda::Function':
        return (resource.Properties?.FunctionName as string | undefined) ?? logicalId.slice(0, 64);
      case 'AWS::StepFunctions::StateMachine':
        return (resource.Properties?.StateMachineName as string | undefined) ?? logicalId;
      case 'AWS::Events::EventBus':
        return (resource.Properties?.Name as string | undefined) ?? logicalId;
      default:
        return logicalId;
    }
  }

  /** The value `Fn::GetAtt` returns for a resource's attribute. */
  attribute(logicalId: string, attribute: string): string {
    const { type, name } = { type: this.resource(logicalId).Type, name: this.physicalName(logicalId) };
    const { accountId, region, partition } = LOCAL_ENVIRONMENT;
    const arns: Record<string, string> = {
      'AWS::DynamoDB::Table': `arn:${partition}:dynamodb:${region}:${accountId}:table/${name}`,
      'AWS::S3::Bucket': `arn:${partition}:s3:::${name}`,
      'AWS::Lambda::Function': `arn:${partition}:lambda:${region}:${accountId}:function:${name}`,
      'AWS::StepFunctions::StateMachine': `arn:${partition}:states:${region}:${accountId}:stateMachine:${name}`,
      'AWS::Logs::LogGroup': `arn:${partition}:logs:${region}:${accountId}:log-group:${name}:*`,
      'AWS::IAM::Role': `arn:${partition}:iam::${accountId}:role/${name}`,
      'AWS::SQS::Queue': `arn:${partition}:sqs:${region}:${accountId}:${name}`,
      'AWS::KMS::Key': `arn:${partition}:kms:${region}:${accountId}:key/${name}`,
    };
    if (attribute === 'Arn' && arns[type]) return arns[type];
    if (type === 'AWS::DynamoDB::Table' && attribute === 'StreamArn') return `${arns[type]}/stream/local`;
    if (type === 'AWS::S3::Bucket' && attribute === 'RegionalDomainName')
      return `${name}.s3.${region}.${LOCAL_ENVIRONMENT.urlSuffix}`;
    if (type === 'AWS::SQS::Queue' && attribute === 'QueueUrl')
      return `https://sqs.${region}.amazonaws.com/${accountId}/${name}`;
    if (type === 'AWS::ApiGateway::RestApi' && attribute === 'RootResourceId') return `${logicalId}/`;
    if (type === 'AWS::StepFunctions::StateMachine' && attribute === 'Name') return name;
    if (type === 'AWS::SQS::Queue' && attribute === 'QueueName') return name;
    return `${name}.${attribute}`;
  }

  /** Resolves every intrinsic function inside `value`. */
  resolve(value: unknown): any {
    if (Array.isArray(value)) return value.map((item) => this.resolve(item));
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [name, argument] = entries[0];
      switch (name) {
        case 'Ref':
          return this.ref(argument as string);
        case 'Fn::GetAtt': {
          const [logicalId, attribute] = Array.isArray(argument) ? argument : String(argument).split('.');
          return this.attribute(logicalId, attribute);
        }
        case 'Fn::Join': {
          const [separator, parts] = argument as [string, unknown[]];
          return this.resolve(parts).join(separator);
        }
        case 'Fn::Select': {
          const [index, list] = argument as [number | string, unknown];
          return this.resolve(list)[Number(this.resolve(index))];
        }
        case 'Fn::Split': {
          const [separator, source] = argument as [string, unknown];
          return String(this.resolve(source)).split(separator);
        }
        case 'Fn::Sub':
          return this.sub(argument as string | [string, Record<string, unknown>]);
      }
    }
    return Object.fromEntries(entries.map(([key, child]) => [key, this.resolve(child)]));
  }

  /** What `Ref` returns: the name for most resources, the ARN or URL for some. */
  private refValue(logicalId: string): string {
    switch (this.resource(logicalId).Type) {
      case 'AWS::StepFunctions::StateMachine':
      case 'AWS::SNS::Topic':
        return this.attribute(logicalId, 'Arn');
      case 'AWS::SQS::Queue':
        return this.attribute(logicalId, 'QueueUrl');
      default:
        return this.physicalName(logicalId);
    }
  }

  private ref(name: string): string {
    const pseudo: Record<string, string> = {
      'AWS::AccountId': LOCAL_ENVIRONMENT.accountId,
      'AWS::Region': LOCAL_ENVIRONMENT.region,
      'AWS::Partition': LOCAL_ENVIRONMENT.partition,
      'AWS::URLSuffix': LOCAL_ENVIRONMENT.urlSuffix,
      'AWS::StackName': this.stackName,
      'AWS::StackId': `arn:aws:cloudformation:${LOCAL_ENVIRONMENT.region}:${LOCAL_ENVIRONMENT.accountId}:stack/${this.stackName}/local`,
      'AWS::NoValue': '',
    };
    return pseudo[name] ?? this.refValue(name);
  }

  private sub(argument: string | [string, Record<string, unknown>]): string {
    const [text, variables] = typeof argument === 'string' ? [argument, {}] : argument;
    return text.replace(/\$\{([^}!]+)\}/g, (_, expression: string) => {
      if (expression in variables) return String(this.resolve(variables[expression]));
      const [logicalId, attribute] = expression.split('.');
      return attribute ? this.attribute(logicalId, attribute) : this.ref(logicalId);
    });
  }
}
