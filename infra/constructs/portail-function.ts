import { spawnSync } from 'node:child_process';
import { AssetHashType, DockerImage, Duration, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function as LambdaFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { repoRoot } from '../bundling/function-bundling';

export { repoRoot };

/**
 * A function's code: its entry bundled by the local esbuild (functionBuildOptions, as `npm run bench`
 * measures it; `infra/bundling/bundle-function-cli.ts`) into the asset directory, `index.mjs` and the chunks its dynamic imports load on demand.
 * Offline and deterministic: the asset's hash is the hash of that output. The image is never pulled:
 * the local bundling always succeeds or throws.
 */
function bundledCode(entry: string): Code {
  return Code.fromAsset(repoRoot, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs22.x'),
      local: {
        tryBundle(outputDir: string): boolean {
          // esbuild's plugins run only in its asynchronous build: in a child process, waited for.
          const result = spawnSync(
            process.execPath,
            [
              '--import',
              'tsx',
              `${repoRoot}infra/bundling/bundle-function-cli.ts`,
              `${repoRoot}${entry}`,
              outputDir,
            ],
            { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] },
          );
          if (result.status !== 0)
            throw new Error(`bundling ${entry} failed (${result.status ?? result.signal ?? result.error})`);
          return true;
        },
      },
    },
  });
}

export interface PortailFunctionProps {
  /** Entry module, relative to the repository root, exporting `handler`. */
  entry: string;
  description?: string;
  environment?: Record<string, string>;
  timeout?: Duration;
  memorySize?: number;
}

/**
 * Every Portail Lambda function, with the defaults they all share: Node 22 on arm64, a minified ESM
 * bundle with the AWS SDK inside (see bundledCode), its own log group with a retention, X-Ray tracing, and a role that may
 * only write to that log group until the caller grants more.
 */
export class PortailFunction extends Construct {
  readonly lambda: LambdaFunction;
  /** Its own log group (what a log subscription filter is put on). */
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: PortailFunctionProps) {
    super(scope, id);

    const logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_MONTH });
    this.logGroup = logGroup;
    // Our own role instead of AWSLambdaBasicExecutionRole: logs go to this log group only.
    const role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);

    this.lambda = new LambdaFunction(this, 'Function', {
      code: bundledCode(props.entry),
      handler: 'index.handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      role,
      logGroup,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
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
