import { Duration, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { FUNCTION_BUNDLING, repoRoot } from '../bundling/function-bundling';

export { repoRoot };

export interface PortailFunctionProps {
  /** Entry module, relative to the repository root, exporting `handler`. */
  entry: string;
  description?: string;
  environment?: Record<string, string>;
  timeout?: Duration;
  memorySize?: number;
}

/**
 * Every Portail Lambda function, with the defaults they all share: Node 22 on arm64, one minified ESM
 * bundle with the AWS SDK inside, its own log group with a retention, X-Ray tracing, and a role that may
 * only write to that log group until the caller grants more.
 */
export class PortailFunction extends Construct {
  readonly lambda: NodejsFunction;
  /** Its own log group (what a log subscription filter is put on). */
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: PortailFunctionProps) {
    super(scope, id);

    const logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_MONTH });
    this.logGroup = logGroup;
    // Our own role instead of AWSLambdaBasicExecutionRole: logs go to this log group only.
    const role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);

    this.lambda = new NodejsFunction(this, 'Function', {
      entry: `${repoRoot}${props.entry}`,
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: `${repoRoot}package-lock.json`,
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      role,
      logGroup,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      // FUNCTION_BUNDLING, in the CDK's words (the bench bundles with the same options).
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: FUNCTION_BUNDLING.target,
        minify: FUNCTION_BUNDLING.minify,
        sourceMap: FUNCTION_BUNDLING.sourcemap,
        sourcesContent: FUNCTION_BUNDLING.sourcesContent,
        banner: FUNCTION_BUNDLING.banner,
        mainFields: [...FUNCTION_BUNDLING.mainFields],
        externalModules: [...FUNCTION_BUNDLING.external],
        esbuildArgs: {
          '--legal-comments': FUNCTION_BUNDLING.legalComments,
          '--alias': Object.entries(FUNCTION_BUNDLING.alias).map(([name, target]) => `${name}=${target}`),
        },
      },
    });

    Validations.of(this).acknowledge(
      {
        id: 'AwsSolutions-L1',
        reason:
          'Node 22 is the chosen runtime (esbuild target node22); moving to a newer one is a deliberate upgrade.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords have no resource-level permissions.',
      },
    );
  }
}
