import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { PortailStack } from './portail-stack';

const cdkContext = JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8')).context;

type LambdaFunction = { Properties: { Code: { S3Key?: string }; Handler: string } };

/**
 * `cdk synth` as deployed, offline: every function bundled by the local esbuild into one ESM file.
 * Slow (one esbuild run per function), so this is the only test that bundles; the stack's declarations
 * are tested unbundled in `portail-stack.test.ts`.
 */
describe('the stack synthesized with its functions bundled', () => {
  it('bundles every function into one ESM file that exports its handler', { timeout: 900_000 }, () => {
    const app = new App({ context: cdkContext });
    const stack = new PortailStack(app, 'Portail');
    const template = Template.fromStack(stack);
    const assembly = app.synth();
    const functions = Object.entries(
      template.findResources('AWS::Lambda::Function') as Record<string, LambdaFunction>,
    ).filter(([, resource]) => resource.Properties.Code.S3Key !== undefined); // not CDK's inline helpers
    expect(functions.length).toBeGreaterThan(10);
    for (const [id, resource] of functions) {
      const hash = resource.Properties.Code.S3Key!.replace(/\.zip$/, '');
      const bundle = path.join(assembly.directory, `asset.${hash}`, 'index.mjs');
      expect(existsSync(bundle), `${id}: ${bundle}`).toBe(true);
      expect(statSync(bundle).size, id).toBeGreaterThan(10_000);
      expect(readFileSync(bundle, 'utf8'), id).toMatch(/export\s*\{[^}]*\bhandler\b/);
    }
  });
});
