import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';

/** CloudFormation's quota of resources in one stack (nested stacks each have their own). */
export const CLOUDFORMATION_RESOURCE_LIMIT = 500;

/** How full a stack may get before the tests fail: room is kept for what is added next. */
export const STACK_RESOURCE_BUDGET = Math.floor(CLOUDFORMATION_RESOURCE_LIMIT * 0.8);

export interface StackSize {
  /** The stack's construct path (`Portail`, `Portail/Api/Routes-datasets`…). */
  path: string;
  resources: number;
}

/** Every stack under `scope` (nested ones included) with its number of resources, largest first. */
export function stackSizes(scope: IConstruct): StackSize[] {
  return scope.node
    .findAll()
    .filter((construct): construct is Stack => Stack.isStack(construct))
    .map((stack) => ({
      path: stack.node.path,
      resources: Object.keys(Template.fromStack(stack).toJSON().Resources ?? {}).length,
    }))
    .sort((a, b) => b.resources - a.resources);
}
