import { Lazy } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { CfnAccessPolicy, CfnCollection, CfnSecurityPolicy } from 'aws-cdk-lib/aws-opensearchserverless';
import { Construct } from 'constructs';
import type { PortailFunction } from './portail-function';

/** What a function does with the collection's indexes (each a set of data-access permissions). */
export type SearchRole = 'search' | 'index' | 'rebuild';

/** Data-access permissions per role, on the indexes named `<prefix>-*` only. */
export const SEARCH_PERMISSIONS: Record<SearchRole, string[]> = {
  // `_search` on the aliases.
  search: ['aoss:ReadDocument'],
  // `_bulk` through the aliases, and whether a rebuild's alias exists.
  index: ['aoss:WriteDocument', 'aoss:DescribeIndex'],
  // A new index, filled, the aliases moved to it, the old one deleted.
  rebuild: [
    'aoss:CreateIndex',
    'aoss:DescribeIndex',
    'aoss:UpdateIndex',
    'aoss:DeleteIndex',
    'aoss:WriteDocument',
    'aoss:ReadDocument',
  ],
};

export interface SearchCollectionProps {
  /** Collection name (3–32 lower-case letters, digits, hyphens); policies are named after it. */
  name: string;
  /** Prefix of the index and alias names (`SEARCH_INDEX_PREFIX`). */
  indexPrefix?: string;
}

/**
 * The OpenSearch Serverless collection (search type) behind the search port: encrypted at rest with an
 * AWS-owned key, reachable over HTTPS with SigV4 only by the functions granted here (the data access
 * policy names each function's role and exactly the index permissions its role needs; their IAM
 * policies allow `aoss:APIAccessAll` on this collection only).
 */
export class SearchCollection extends Construct {
  readonly collection: CfnCollection;
  readonly indexPrefix: string;
  private readonly principals: Record<SearchRole, string[]> = { search: [], index: [], rebuild: [] };

  constructor(scope: Construct, id: string, props: SearchCollectionProps) {
    super(scope, id);
    this.indexPrefix = props.indexPrefix ?? 'portail';
    const resource = [`collection/${props.name}`];
    const encryption = new CfnSecurityPolicy(this, 'Encryption', {
      name: `${props.name}-enc`,
      type: 'encryption',
      policy: JSON.stringify({
        Rules: [{ ResourceType: 'collection', Resource: resource }],
        AWSOwnedKey: true,
      }),
    });
    // Lambda functions outside a VPC reach the endpoint over the internet: the endpoint is public,
    // every request is authenticated (SigV4) and authorized by the data access policy below.
    const network = new CfnSecurityPolicy(this, 'Network', {
      name: `${props.name}-net`,
      type: 'network',
      policy: JSON.stringify([
        { Rules: [{ ResourceType: 'collection', Resource: resource }], AllowFromPublic: true },
      ]),
    });
    this.collection = new CfnCollection(this, 'Collection', {
      name: props.name,
      type: 'SEARCH',
      description: 'Portail: full-text search of datasets, organizations and reuses',
      standbyReplicas: 'ENABLED',
    });
    this.collection.addDependency(encryption);
    this.collection.addDependency(network);
    const indexes = [`index/${props.name}/${this.indexPrefix}-*`];
    const access = new CfnAccessPolicy(this, 'DataAccess', {
      name: `${props.name}-data`,
      type: 'data',
      policy: Lazy.string({
        produce: () =>
          JSON.stringify(
            (Object.keys(this.principals) as SearchRole[])
              .filter((role) => this.principals[role].length > 0)
              .map((role) => ({
                Description: `Portail ${role}`,
                Rules: [{ ResourceType: 'index', Resource: indexes, Permission: SEARCH_PERMISSIONS[role] }],
                Principal: this.principals[role],
              })),
          ),
      }),
    });
    this.collection.addDependency(access);
  }

  /** The collection's HTTPS endpoint (`SEARCH_ENDPOINT`). */
  get endpoint(): string {
    return this.collection.attrCollectionEndpoint;
  }

  /** Lets a function act on the indexes as `role`: environment, IAM and data access policy. */
  grant(fn: PortailFunction, role: SearchRole) {
    fn.lambda.addEnvironment('SEARCH_ENDPOINT', this.endpoint);
    fn.lambda.addEnvironment('SEARCH_INDEX_PREFIX', this.indexPrefix);
    fn.lambda.addToRolePolicy(
      new PolicyStatement({ actions: ['aoss:APIAccessAll'], resources: [this.collection.attrArn] }),
    );
    const principal = fn.lambda.role;
    if (!principal) throw new Error('a function without a role cannot be granted search access');
    this.principals[role].push(principal.roleArn);
  }
}
