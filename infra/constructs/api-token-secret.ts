import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/**
 * The key API tokens are hashed with (HMAC-SHA256): tokens are stored only as that hash, so a copy of
 * the table alone cannot be matched against guessed tokens. Generated at deploy, never in the template nor
 * in any function's environment: the functions that resolve callers get its ARN and read it at cold start.
 */
export class ApiTokenSecret extends Construct {
  readonly secret: Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description: 'Portail: key of the HMAC under which API tokens are stored',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating this key would invalidate every API token at once; tokens themselves expire and are revoked individually.',
    });
  }
}
