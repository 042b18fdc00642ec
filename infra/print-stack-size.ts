/** `npm run stack-size`: how many resources each stack of the app holds, synthesized without bundling. */
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { PortailStack } from './portail-stack';
import { CLOUDFORMATION_RESOURCE_LIMIT, STACK_RESOURCE_BUDGET, stackSizes } from './stack-size';

const context = JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8')).context;
const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
new PortailStack(app, 'Portail');
for (const { path, resources } of stackSizes(app)) {
  console.log(`${String(resources).padStart(4)} / ${CLOUDFORMATION_RESOURCE_LIMIT}  ${path}`);
}
console.log(`(the infra tests fail above ${STACK_RESOURCE_BUDGET} in any stack)`);
