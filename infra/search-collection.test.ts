import { readFileSync } from 'node:fs';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SEARCH_PERMISSIONS } from './constructs/search-collection';
import { PortailStack } from './portail-stack';

const cdkContext = JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8')).context;
const logicalId = (construct: IConstruct) =>
  Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);

type Resource = { Properties: Record<string, unknown> };

describe('search collection', () => {
  let app: App;
  let stack: PortailStack;
  let template: Template;

  beforeAll(() => {
    // Bundling skipped: the collection, its policies and the grants are under test.
    app = new App({ context: { ...cdkContext, 'aws:cdk:bundling-stacks': [] } });
    stack = new PortailStack(app, 'Portail');
    template = Template.fromStack(stack);
  });

  const policy = (type: string) => {
    const found = Object.values(
      template.findResources('AWS::OpenSearchServerless::SecurityPolicy', { Properties: { Type: type } }),
    ) as Resource[];
    expect(found).toHaveLength(1);
    return JSON.parse(String(found[0]?.Properties.Policy));
  };

  it('is a search collection, encrypted, with its network policy', () => {
    template.hasResourceProperties('AWS::OpenSearchServerless::Collection', {
      Name: 'portail-search',
      Type: 'SEARCH',
    });
    expect(policy('encryption')).toEqual({
      Rules: [{ ResourceType: 'collection', Resource: ['collection/portail-search'] }],
      AWSOwnedKey: true,
    });
    expect(policy('network')).toEqual([
      {
        Rules: [{ ResourceType: 'collection', Resource: ['collection/portail-search'] }],
        AllowFromPublic: true,
      },
    ]);
  });

  it('lets each function do only what its role needs, on Portail’s indexes only', () => {
    const access = Object.values(
      template.findResources('AWS::OpenSearchServerless::AccessPolicy'),
    ) as Resource[];
    expect(access).toHaveLength(1);
    const properties = access[0]?.Properties ?? {};
    const rules = JSON.parse(JSON.stringify(stack.resolve(properties.Policy))) as unknown;
    // The policy is a token-joined string: its roles are references resolved at deploy time.
    const text = JSON.stringify(rules);
    const roleOf = (construct: IConstruct) => logicalId(construct);
    expect(text).toContain(roleOf(stack.api.functions.datasets!.lambda.role!));
    expect(text).toContain(roleOf(stack.api.functions.organizations!.lambda.role!));
    expect(text).toContain(roleOf(stack.api.functions.reuses!.lambda.role!));
    expect(text).toContain(roleOf(stack.searchIndexer.function.lambda.role!));
    expect(text).toContain(roleOf(stack.searchIndexer.rebuild.lambda.role!));
    expect(text).not.toContain(roleOf(stack.api.functions.accounts!.lambda.role!));
    expect(text).toContain('index/portail-search/portail-*');
    expect(SEARCH_PERMISSIONS.search).toEqual(['aoss:ReadDocument']);
    expect(SEARCH_PERMISSIONS.index).not.toContain('aoss:CreateIndex');
    expect(SEARCH_PERMISSIONS.index).not.toContain('aoss:DeleteIndex');
  });

  it('gives the searching functions the endpoint and aoss:APIAccessAll on this collection only', () => {
    const datasets = stack.api.functions.datasets!;
    const fn = template.toJSON().Resources[logicalId(datasets.lambda)].Properties;
    expect(Object.keys(fn.Environment.Variables)).toEqual(
      expect.arrayContaining(['SEARCH_ENDPOINT', 'SEARCH_INDEX_PREFIX']),
    );
    const policies = Object.values(template.findResources('AWS::IAM::Policy')) as Resource[];
    const aoss = policies.flatMap((entry) =>
      (
        entry.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }
      ).Statement.filter((statement) =>
        [statement.Action].flat().some((action) => action.startsWith('aoss:')),
      ),
    );
    // The datasets, organizations and reuses route groups, the indexer, the rebuild function.
    expect(aoss.length).toBe(5);
    for (const statement of aoss) {
      expect(statement.Action).toBe('aoss:APIAccessAll');
      expect(statement.Resource).toEqual({
        'Fn::GetAtt': [stack.getLogicalId(stack.search.collection), 'Arn'],
      });
    }
  });

  it('lets the indexer write only the markers of hidden datasets in the table', () => {
    const role = logicalId(stack.searchIndexer.function.lambda.role!);
    const policies = Object.values(template.findResources('AWS::IAM::Policy')) as Resource[];
    type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };
    const statements = policies
      .filter((entry) => JSON.stringify(entry.Properties.Roles ?? []).includes(role))
      .flatMap((entry) => (entry.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
    const writes = statements.filter((statement) =>
      [statement.Action].flat().some((action) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(action)),
    );
    expect(writes).toHaveLength(1);
    expect([writes[0]!.Action].flat().sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:UpdateItem']);
    expect(writes[0]!.Condition).toEqual({
      'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['SEARCH_HIDDEN#datasets'] },
    });
  });

  it('passes cdk-nag with the search resources', () => {
    const errors = new AwsSolutionsChecks()
      .validateScope(app)
      .violations.filter((violation) => violation.severity === 'error')
      .map((violation) => `${violation.ruleName} ${violation.violatingResources[0]?.constructPath}`);
    expect(errors).toEqual([]);
  });
});
