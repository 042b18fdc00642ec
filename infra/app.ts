import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { PortailStack } from './portail-stack';

const app = new App();

new PortailStack(app, 'Portail', { description: 'Portail: open-data publishing platform (udata API)' });

// `-c nag=true` runs cdk-nag's AwsSolutions checks during synth (the infra tests always do).
if (String(app.node.tryGetContext('nag')) === 'true') {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
}
