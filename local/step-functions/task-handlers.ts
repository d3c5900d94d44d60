import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { LOCAL_ENVIRONMENT } from '../cloudformation-template';
import type { LocalLambdaRuntime } from '../lambda-runtime';
import { distributedMapTasks, taskStates } from './local-compatibility';

export type TaskHandler = (input: any) => Promise<unknown>;

/** An error as Step Functions reports it: matched by name in Retry and Catch, with a cause. */
export class StatesTaskError extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

const DYNAMODB_COMMANDS: Record<string, new (input: any) => any> = {
  getItem: GetItemCommand,
  putItem: PutItemCommand,
  updateItem: UpdateItemCommand,
  deleteItem: DeleteItemCommand,
};

/**
 * A local handler for every Task state of a definition, derived from its Resource the way
 * Step Functions dispatches it: a Lambda function ARN (or lambda:invoke) runs the bundled
 * function; dynamodb:<action> calls DynamoDB Local. Nothing is listed by hand; a resource the
 * local stack cannot run makes this throw.
 */
/** What a task handler needs: the functions, DynamoDB Local, and where the state machine's own calls are recorded. */
interface TaskDependencies {
  readonly lambda: LocalLambdaRuntime;
  readonly dynamoDb: DynamoDBClient;
  /** Receives each AWS call the state machine's role makes (IAM action and resource ARN). */
  readonly recordCall?: (access: { operation: string; action: string; resource: string }) => void;
  /** The state machine's ARN, for the calls a Distributed Map makes on its own executions. */
  readonly stateMachineArn?: string;
}

export function taskHandlersFor(
  definition: { States: Record<string, unknown> },
  dependencies: TaskDependencies,
): Record<string, TaskHandler> {
  const inDistributedMap = distributedMapTasks(definition);
  return Object.fromEntries(
    taskStates(definition).map(([name, state]) => {
      const handler = handlerFor(name, String(state.Resource), dependencies);
      const mapState = inDistributedMap.get(name);
      const { recordCall, stateMachineArn } = dependencies;
      if (!mapState || !recordCall || !stateMachineArn) return [name, handler];
      // In AWS each item runs as a child execution of the state machine, which its role starts
      // (StartExecution on the state machine) while the map run describes the execution it runs
      // in (AWS's documented policy for a Distributed Map); locally the Map runs inline, and the
      // execution's own name is not known here: a stand-in names it.
      const execution = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${mapState}-run`;
      return [
        name,
        (input: unknown) => {
          recordCall({ operation: 'StartExecution', action: 'states:StartExecution', resource: stateMachineArn });
          recordCall({ operation: 'DescribeExecution', action: 'states:DescribeExecution', resource: execution });
          return handler(input);
        },
      ];
    }),
  );
}

function handlerFor(
  stateName: string,
  resource: string,
  { lambda, dynamoDb, recordCall = () => undefined }: TaskDependencies,
): TaskHandler {
  const invoked = (functionId: string) =>
    recordCall({ operation: 'Invoke', action: 'lambda:InvokeFunction', resource: lambda.arnOf(functionId) });
  if (/^arn:[^:]+:lambda:[^:]*:[^:]*:function:/.test(resource)) {
    return (input) => {
      invoked(resource);
      return invokeFunction(lambda, resource, input);
    };
  }
  if (/^arn:[^:]+:states:::lambda:invoke$/.test(resource)) {
    return async (input: { FunctionName: string; Payload?: unknown }) => {
      invoked(input.FunctionName);
      return {
        ExecutedVersion: '$LATEST',
        Payload: await invokeFunction(lambda, input.FunctionName, input.Payload ?? {}),
        StatusCode: 200,
      };
    };
  }
  const dynamo = /^arn:[^:]+:states:::dynamodb:(\w+)$/.exec(resource);
  if (dynamo && DYNAMODB_COMMANDS[dynamo[1]]) {
    const Command = DYNAMODB_COMMANDS[dynamo[1]];
    const operation = dynamo[1].charAt(0).toUpperCase() + dynamo[1].slice(1);
    return async (input) => {
      recordCall({
        operation,
        action: `dynamodb:${operation}`,
        resource: `arn:aws:dynamodb:${LOCAL_ENVIRONMENT.region}:${LOCAL_ENVIRONMENT.accountId}:table/${input.TableName}`,
      });
      try {
        return await dynamoDb.send(new Command(input));
      } catch (error) {
        const { name, message } = error as Error;
        throw new StatesTaskError(`DynamoDB.${name}`, message);
      }
    };
  }
  throw new Error(`Task state ${stateName}: the local stack cannot run resource ${resource}`);
}

/** Invokes a function as Step Functions does: a function error fails the task with its errorType. */
async function invokeFunction(lambda: LocalLambdaRuntime, functionId: string, payload: unknown): Promise<unknown> {
  const outcome = await lambda.invoke(functionId, payload);
  if (outcome.ok) return outcome.result;
  const { errorType, errorMessage, trace } = outcome.error;
  throw new StatesTaskError(errorType, JSON.stringify({ errorType, errorMessage, trace }));
}
