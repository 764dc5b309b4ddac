import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, it } from 'vitest';
import { StatefulStack } from '../../lib/stateful-stack';
import { StatelessStack } from '../../lib/stateless-stack';

let stateless: Template;
beforeAll(() => {
  const app = new App();
  const s = new StatefulStack(app, 'Stateful');
  stateless = Template.fromStack(new StatelessStack(app, 'Stateless', { table: s.table, secrets: s.secrets }));
}, 120_000);

describe('the inquiry clock in AWS', () => {
  it('is an EventBridge Scheduler schedule invoking the scheduler function every 15 minutes', () => {
    stateless.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(15 minutes)',
      Target: Match.objectLike({ Arn: Match.anyValue(), RoleArn: Match.anyValue() }),
    });
    stateless.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'Inquiry reminders, expiry and the privacy officer digest',
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
    });
  });
});
