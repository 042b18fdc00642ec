import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { AWS_CUSTOM_RESOURCE_PROVIDER_ID } from './constructs/uploads-bucket';
import { PortailStack } from './portail-stack';

const cdkContext = JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8')).context;

type LambdaFunction = { Properties: { Code: { S3Key?: string }; Handler: string; Runtime?: string } };
type Deployment = { Properties: { SourceObjectKeys: string[] } };

/**
 * `cdk synth` as deployed, offline: every function bundled by the local esbuild (an ESM entry and the
 * chunks its dynamic imports load), the workspace built by the local Vite. Slow (one esbuild run per function), so this is the only test that
 * bundles; the stack's declarations are tested unbundled in `portail-stack.test.ts`.
 */
describe('the stack synthesized with its functions bundled', () => {
  it('bundles every function into an ESM entry that exports its handler, and builds the workspace', {
    timeout: 900_000,
  }, () => {
    const app = new App({ context: cdkContext });
    const stack = new PortailStack(app, 'Portail');
    const template = Template.fromStack(stack);
    const assembly = app.synth();
    const functions = Object.entries(
      template.findResources('AWS::Lambda::Function') as Record<string, LambdaFunction>,
    ).filter(
      // Ours, not CDK's own handlers: inline ones, the Python function that copies the workspace's files,
      // and the prebuilt provider behind AwsCustomResource (the uploads bucket's CORS call).
      ([id, resource]) =>
        resource.Properties.Code.S3Key !== undefined &&
        resource.Properties.Runtime?.startsWith('nodejs') &&
        !id.startsWith(AWS_CUSTOM_RESOURCE_PROVIDER_ID),
    );
    expect(functions.length).toBeGreaterThan(10);
    for (const [id, resource] of functions) {
      const hash = resource.Properties.Code.S3Key!.replace(/\.zip$/, '');
      const bundle = path.join(assembly.directory, `asset.${hash}`, 'index.mjs');
      expect(existsSync(bundle), `${id}: ${bundle}`).toBe(true);
      expect(statSync(bundle).size, id).toBeGreaterThan(10_000);
      expect(readFileSync(bundle, 'utf8'), id).toMatch(/export\s*\{[^}]*\bhandler\b/);
    }

    // The workspace's build, what both deployments copy to the site bucket.
    const deployments = Object.values(
      template.findResources('Custom::CDKBucketDeployment') as Record<string, Deployment>,
    );
    const keys = new Set(deployments.flatMap((deployment) => deployment.Properties.SourceObjectKeys));
    expect(keys.size).toBe(1);
    const build = path.join(assembly.directory, `asset.${[...keys][0]!.replace(/\.zip$/, '')}`);
    const index = readFileSync(path.join(build, 'index.html'), 'utf8');
    const scripts = [...index.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map((match) => match[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    // No inline script: the workspace's CSP allows its own files only.
    expect(index).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    for (const script of scripts) {
      expect(script).toMatch(/^\/admin\/assets\/[\w.-]+\.js$/);
      expect(existsSync(path.join(build, script.replace(/^\/admin\//, ''))), script).toBe(true);
    }
    expect(readdirSync(path.join(build, 'assets')).length).toBeGreaterThan(1);
  });
});
