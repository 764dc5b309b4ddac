import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { StatefulStack } from '../../lib/stateful-stack';
import { StatelessStack } from '../../lib/stateless-stack';

let stateful: Template;
let stateless: Template;

beforeAll(() => {
  const app = new App();
  const s = new StatefulStack(app, 'Stateful');
  const l = new StatelessStack(app, 'Stateless', { table: s.table, secrets: s.secrets });
  stateful = Template.fromStack(s);
  stateless = Template.fromStack(l);
}, 120_000);

describe('stateful stack', () => {
  it('keeps the table: PITR 35 days, deletion protection, retained, on-demand, TTL', () => {
    stateful.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        Replicas: [
          Match.objectLike({
            DeletionProtectionEnabled: true,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 35 },
          }),
        ],
      }),
    });
  });

  it('has the GSIs of docs/data-model.md', () => {
    const table = Object.values(stateful.findResources('AWS::DynamoDB::GlobalTable'))[0] as { Properties: { GlobalSecondaryIndexes: { IndexName: string }[] } };
    expect(table.Properties.GlobalSecondaryIndexes.map((i) => i.IndexName)).toEqual(['gsi1', 'gsi2']);
  });
});

describe('stateless stack', () => {
  it('runs every function on nodejs22.x, arm64', () => {
    const fns = stateless.findResources('AWS::Lambda::Function');
    expect(Object.keys(fns).length).toBeGreaterThan(0);
    for (const fn of Object.values(fns) as { Properties: { Runtime: string; Architectures: string[] } }[]) {
      expect(fn.Properties.Runtime).toBe('nodejs22.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
    }
  });

  it('puts the API function behind an HTTP API', () => {
    stateless.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Integration', { IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
  });

  it('gives each function a log group with a retention', () => {
    stateless.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });
});
