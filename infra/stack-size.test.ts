import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { PortailStack } from './portail-stack';
import { CLOUDFORMATION_RESOURCE_LIMIT, STACK_RESOURCE_BUDGET, stackSizes } from './stack-size';

const cdkContext = JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8')).context;

describe('stack sizes', () => {
  it(`keeps every stack under ${STACK_RESOURCE_BUDGET} of CloudFormation's ${CLOUDFORMATION_RESOURCE_LIMIT} resources`, () => {
    const app = new App({ context: { ...cdkContext, 'aws:cdk:bundling-stacks': [] } });
    new PortailStack(app, 'Portail');
    const sizes = stackSizes(app);
    const report = sizes.map(({ path, resources }) => `${resources} ${path}`).join('\n');
    // Printed so a growing stack is seen before it reaches the budget.
    console.log(`Resources per stack:\n${report}`);
    expect(sizes.length).toBeGreaterThan(1);
    const over = sizes.filter(({ resources }) => resources > STACK_RESOURCE_BUDGET);
    expect(over, `stacks over ${STACK_RESOURCE_BUDGET} resources; every stack:\n${report}`).toEqual([]);
    // The routes are in nested stacks: the main stack's share does not grow with the route table.
    const main = sizes.find(({ path }) => path === 'Portail')!;
    expect(main.resources, report).toBeLessThan(CLOUDFORMATION_RESOURCE_LIMIT * 0.6);
  });
});
