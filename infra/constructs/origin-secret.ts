import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/**
 * The value the distribution sends in a header of its own on every request to the API, so a function can
 * tell a request that came through CloudFront (whose `CloudFront-Viewer-Address` it may believe) from one
 * sent straight to API Gateway. Generated at deploy; the template names it only by a dynamic reference
 * CloudFormation resolves into the distribution's origin, and the functions get its ARN, read at cold start.
 */
export class OriginSecret extends Construct {
  readonly secret: Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description:
        'Portail: header value by which the API knows a request came through its CloudFront distribution',
      generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating it needs the distribution updated with the new value in the same step (a deployment); it guards only which client address is believed.',
    });
  }
}
