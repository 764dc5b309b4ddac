import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnResource, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { readTimeouts } from '../../functions/config';
import { storeCallBudgetMs } from '../../functions/store/timeouts';
import { CLAIM_TIMEOUT_MS } from '../../functions/use-cases/deliver-batch';
import { buildStacks } from '../../lib/app';
import { bundleHandler } from '../../lib/bundling';
import type { FunctionName } from '../../lib/function-entries';
import { FUNCTION_ENTRIES } from '../../lib/function-entries';
import { readSettings } from '../../lib/settings';
import type { StatelessStack } from '../../lib/stateless-stack';

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

const CONTEXT = {
  customerManagedKey: 'true',
  alarmEmail: 'ops@livlog.jp',
  customDomains: { livlog: { domainName: 'privacy.livlog.jp', certificateArn: 'arn:aws:acm:ap-northeast-1:123456789012:certificate/abc' } },
  // Given as on the command line (a string), to see the setting reach the template.
  throttleIntakeRate: '3',
  throttleConsoleBurst: '30',
  transactionalSenderRoles: 'orders-mailer,security-notices',
};

let app: App;
let statefulStack: Stack;
let statelessStack: StatelessStack;
let stateful: Template;
let stateless: Template;
let resources: Record<string, Resource>;

beforeAll(() => {
  // CDK's built-in CloudFormation schema check only warns and costs ~10 s of CPU here; `cdk synth` runs it.
  app = new App({ context: CONTEXT, builtinCloudFormationValidation: false });
  const built = buildStacks(app);
  statefulStack = built.stateful;
  statelessStack = built.stateless;
  stateful = Template.fromStack(built.stateful);
  stateless = Template.fromStack(built.stateless);
  resources = stateless.toJSON().Resources as Record<string, Resource>;
}, 180_000);

const ofType = (type: string, template: Template = stateless) =>
  Object.entries(template.toJSON().Resources as Record<string, Resource>).filter(([, r]) => r.Type === type);
const logicalId = (name: FunctionName) => statelessStack.getLogicalId(statelessStack.functions[name].node.defaultChild as CfnResource);
const asList = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

/** Every statement of every policy attached to the function's execution role. */
function statementsOf(name: FunctionName): Statement[] {
  const fn = resources[logicalId(name)] as Resource;
  const roleId = ((fn.Properties.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'] as string[])[0];
  return ofType('AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}
const actionsOf = (name: FunctionName) => [...new Set(statementsOf(name).flatMap((s) => asList(s.Action)))].sort();

describe('stateful stack', () => {
  it('keeps the table: PITR 35 days, deletion protection, retained, on-demand, TTL, customer-managed key', () => {
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
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
        Replicas: [
          Match.objectLike({
            DeletionProtectionEnabled: true,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 35 },
            SSESpecification: { KMSMasterKeyId: Match.anyValue() },
          }),
        ],
      }),
    });
    stateful.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ EnableKeyRotation: true }) });
  });

  it('uses the AWS-owned key and creates no KMS key when the context does not ask for one', () => {
    // No stack is bundled: this App only looks at the stateful stack.
    const plain = Template.fromStack(buildStacks(new App({ context: { 'aws:cdk:bundling-stacks': [] }, builtinCloudFormationValidation: false })).stateful);
    plain.resourceCountIs('AWS::KMS::Key', 0);
    const table = ofType('AWS::DynamoDB::GlobalTable', plain)[0]?.[1] as Resource;
    expect(table.Properties.SSESpecification).toBeUndefined();
  });

  it('has the GSIs of docs/data-model.md', () => {
    const table = ofType('AWS::DynamoDB::GlobalTable', stateful)[0]?.[1] as Resource;
    expect((table.Properties.GlobalSecondaryIndexes as { IndexName: string }[]).map((i) => i.IndexName)).toEqual(['gsi1', 'gsi2']);
  });

  it('retains the secret', () => {
    stateful.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Retain' });
  });

  it('sends SES events of the configuration set to the default EventBridge bus', () => {
    stateful.hasResource('AWS::SES::ConfigurationSet', { DeletionPolicy: 'Retain' });
    stateful.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: Match.arrayWith(['BOUNCE', 'COMPLAINT', 'DELIVERY', 'REJECT']),
        EventBridgeDestination: { EventBusArn: { 'Fn::Join': ['', Match.arrayWith([':event-bus/default'])] } },
      },
    });
  });

  it('creates a retained domain identity with 2048-bit Easy DKIM for each brand domain', () => {
    const identities = ofType('AWS::SES::EmailIdentity', stateful);
    expect(identities.map(([, r]) => r.Properties.EmailIdentity).sort()).toEqual(['chroco.ooo', 'cotogoto.ai', 'livlog.jp', 'livlog.xyz']);
    for (const [, r] of identities) {
      expect(r.DeletionPolicy).toBe('Retain');
      expect(r.Properties.DkimSigningAttributes).toEqual({ NextSigningKeyLength: 'RSA_2048_BIT' });
    }
  });
});

describe('functions', () => {
  it('runs seven functions, each on nodejs22.x and arm64 with its own bundle', () => {
    const fns = ofType('AWS::Lambda::Function');
    expect(fns).toHaveLength(7);
    for (const [, fn] of fns) {
      expect(fn.Properties.Runtime).toBe('nodejs22.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      expect(fn.Properties.Handler).toBe('index.handler');
    }
    const keys = fns.map(([, fn]) => (fn.Properties.Code as { S3Key: unknown }).S3Key);
    // Source maps are not read at start: each cold start would parse the map of every chunk.
    for (const [, fn] of fns) expect(JSON.stringify(fn.Properties.Environment ?? {})).not.toContain('enable-source-maps');
    expect(new Set(keys.map((k) => JSON.stringify(k))).size).toBe(7);
  });

  it('deploys exactly the bundle that bench/bundles.ts measures (same build, no drift)', async () => {
    app.synth();
    // Chunk names hash the source maps, whose paths depend on where the build is written: compared without them.
    const code = (dir: string) =>
      readdirSync(dir)
        .filter((f) => f.endsWith('.mjs'))
        .map((f) => readFileSync(join(dir, f), 'utf8').replace(/chunk-[A-Z0-9]+\.mjs/g, 'chunk.mjs'))
        .sort();
    const bundleOf = (name: FunctionName) => {
      const key = JSON.stringify((resources[logicalId(name)] as Resource).Properties.Code);
      const hash = /"([0-9a-f]{64})\.zip"/.exec(key)?.[1];
      return code(join(app.outdir, `asset.${hash}`));
    };
    const out = mkdtempSync(join(tmpdir(), 'bundle-'));
    try {
      for (const name of ['apiPublic', 'sesEvents'] as const) {
        await bundleHandler(FUNCTION_ENTRIES[name].entry, join(out, name));
        expect(bundleOf(name), name).toEqual(code(join(out, name)));
      }
      expect(bundleOf('apiPublic').length).toBeGreaterThan(1);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
    expect(bundleOf('apiPublic')).not.toEqual(bundleOf('apiPrivileged'));
  });

  it('gives each function a JSON log group with a retention', () => {
    for (const name of Object.keys(statelessStack.functions) as FunctionName[]) {
      const fn = resources[logicalId(name)] as Resource;
      const logGroupId = (fn.Properties.LoggingConfig as { LogGroup: { Ref: string }; LogFormat: string }).LogGroup.Ref;
      expect((fn.Properties.LoggingConfig as { LogFormat: string }).LogFormat).toBe('JSON');
      expect((resources[logGroupId] as Resource).Properties.RetentionInDays).toBe(30);
    }
  });

  it('sets the variables config.ts reads, and ADMIN_AUTH=iam on the privileged API', () => {
    for (const name of Object.keys(statelessStack.functions) as FunctionName[]) {
      const vars = ((resources[logicalId(name)] as Resource).Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(Object.keys(vars)).toEqual(expect.arrayContaining(['TABLE_NAME', 'SECRETS_ARN', 'PUBLIC_BASE_URL', 'SES_CONFIGURATION_SET']));
      expect(vars.ADMIN_AUTH).toBe(name === 'apiPrivileged' ? 'iam' : undefined);
      expect('CAMPAIGN_QUEUE_URL' in vars).toBe(name === 'apiPrivileged');
    }
  });

  it('gives the roles that may send transactional mail to the privileged API alone', () => {
    for (const name of Object.keys(statelessStack.functions) as FunctionName[]) {
      const vars = ((resources[logicalId(name)] as Resource).Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(vars.TRANSACTIONAL_SENDER_ROLES, name).toBe(name === 'apiPrivileged' ? '["orders-mailer","security-notices"]' : undefined);
    }
  });
});

describe('IAM', () => {
  const LOGS = ['logs:CreateLogStream', 'logs:PutLogEvents'];
  const KMS_READ = ['kms:Decrypt', 'kms:DescribeKey'];
  const KMS_WRITE = [...KMS_READ, 'kms:Encrypt', 'kms:GenerateDataKey'];
  const SECRET = ['secretsmanager:GetSecretValue'];
  const ddb = (...a: string[]) => a.map((x) => `dynamodb:${x}`);
  const WRITE = ddb('GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem');
  const expected: Record<FunctionName, string[]> = {
    apiPublic: [...LOGS, ...WRITE, ...KMS_WRITE, ...SECRET, 'ses:SendEmail'],
    apiPrivileged: [
      ...LOGS,
      ...WRITE,
      ...ddb('BatchGetItem', 'BatchWriteItem', 'Scan'),
      ...KMS_WRITE,
      ...SECRET,
      'ses:SendEmail',
      'ses:SendBulkEmail',
      'ses:GetEmailTemplate',
      'sqs:SendMessage',
    ],
    // The privileged function's table access but BatchWriteItem, and no template sends or queue.
    console: [...LOGS, ...WRITE, ...ddb('BatchGetItem', 'Scan'), ...KMS_WRITE, ...SECRET, 'ses:SendEmail'],
    sesEvents: [...LOGS, ...WRITE, ...KMS_WRITE, ...SECRET, 'sqs:SendMessage'],
    // DeleteItem for the claim record each batch drops when it is done (store/campaign-claims.ts).
    campaignWorker: [
      ...LOGS,
      ...ddb('GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'),
      ...KMS_WRITE,
      ...SECRET,
      'ses:SendEmail',
      'ses:SendBulkEmail',
      'ses:GetEmailTemplate',
      'sqs:ReceiveMessage',
      'sqs:ChangeMessageVisibility',
      'sqs:GetQueueUrl',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
    ],
    scheduler: [...LOGS, ...WRITE, ...ddb('Scan'), ...KMS_WRITE, ...SECRET, 'ses:SendEmail', 'sqs:SendMessage'],
    feedbackRates: [...LOGS, ...ddb('GetItem', 'Query'), ...KMS_READ, ...SECRET, 'sqs:SendMessage'],
  };

  for (const [name, actions] of Object.entries(expected) as [FunctionName, string[]][]) {
    it(`${name} gets exactly its actions`, () => {
      expect(actionsOf(name)).toEqual([...new Set(actions)].sort());
    });
  }

  it('has no wildcard action and no managed policy anywhere', () => {
    const docs: { Statement: Statement[] }[] = [];
    for (const template of [stateful, stateless]) {
      docs.push(
        ...([
          ...ofType('AWS::IAM::Policy', template).map(([, p]) => p.Properties.PolicyDocument),
          ...ofType('AWS::IAM::Role', template).flatMap(([, r]) =>
            ((r.Properties.Policies as { PolicyDocument: unknown }[] | undefined) ?? []).map((p) => p.PolicyDocument),
          ),
        ] as { Statement: Statement[] }[]),
      );
      for (const [, role] of ofType('AWS::IAM::Role', template)) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
    expect(docs.length).toBeGreaterThanOrEqual(7);
    for (const doc of docs) for (const s of doc.Statement) for (const a of asList(s.Action)) expect(a).not.toContain('*');
  });

  it('scopes ses:SendEmail to the four brand identities and the configuration set', () => {
    const resourcesOf = (s: Statement) => asList(s.Resource).map((r) => JSON.stringify(r));
    const send = statementsOf('apiPublic').find((s) => asList(s.Action).includes('ses:SendEmail')) as Statement;
    const res = resourcesOf(send);
    expect(res).toHaveLength(5);
    for (const d of ['livlog.jp', 'livlog.xyz', 'cotogoto.ai', 'chroco.ooo']) expect(res.some((r) => r.includes(`:identity/${d}`))).toBe(true);
    expect(res.some((r) => r.includes(':configuration-set/'))).toBe(true);
  });

  it('lets only the privileged API, the console, the scheduler (query or scan) and the campaign worker (query) use the indexes, each only the index it uses, and scan nothing else', () => {
    const indexResources = (name: FunctionName) =>
      statementsOf(name)
        .flatMap((s) => asList(s.Resource).map((r) => JSON.stringify(r)))
        .filter((r) => r.includes('/index/'))
        .map((r) => /\/index\/(\w+)/.exec(r)?.[1]);
    expect(indexResources('apiPrivileged')).toEqual(['gsi1', 'gsi2']);
    expect(indexResources('console')).toEqual(['gsi1', 'gsi2']);
    // gsi2 for the campaign list, which a stopped erasure the scheduler finishes reads.
    expect(indexResources('scheduler')).toEqual(['gsi1', 'gsi2']);
    // gsi1 for the sweep of stale claims at the end of every run (store/campaign-claims.ts
    // listStaleClaims), by Query only: without it every campaign run in AWS would be refused there.
    expect(indexResources('campaignWorker')).toEqual(['gsi1']);
    const workerIndex = statementsOf('campaignWorker').filter((s) => asList(s.Resource).some((r) => JSON.stringify(r).includes('/index/')));
    expect(workerIndex.flatMap((s) => asList(s.Action))).toEqual(['dynamodb:Query']);
    for (const name of ['apiPublic', 'sesEvents', 'feedbackRates'] as const) expect(indexResources(name)).toEqual([]);
    // The table itself is never scanned: Scan is granted on index resources only.
    for (const name of ['apiPrivileged', 'console', 'scheduler'] as const) {
      const scans = statementsOf(name).filter((s) => asList(s.Action).includes('dynamodb:Scan'));
      expect(scans.length).toBeGreaterThan(0);
      for (const s of scans) for (const r of asList(s.Resource)) expect(JSON.stringify(r)).toContain('/index/');
    }
  });
});

describe('HTTP API', () => {
  const PUBLIC = [
    'GET /u/{token}',
    'HEAD /u/{token}',
    'POST /u/{token}',
    'POST /u/{token}/preferences',
    'GET /v1/preferences/{token}',
    'PUT /v1/preferences/{token}',
    'POST /v1/subscriptions',
    'GET /subscriptions/check-your-mail',
    'GET /confirm/{token}',
    'HEAD /confirm/{token}',
    'POST /confirm/{token}',
    'POST /v1/inquiries',
    'GET /inquiries/verify/{token}',
    'HEAD /inquiries/verify/{token}',
    'POST /inquiries/verify/{token}',
    'GET /inquiries/status/{token}',
    'GET /exports/{token}',
    'GET /contact',
    'GET /contact/thanks',
    'GET /health',
    'GET /assets/{proxy+}',
    'GET /openapi.json',
    'GET /docs',
  ];
  const PRIVILEGED = [
    'POST /v1/sends/filter',
    'POST /v1/sends',
    'POST /v1/campaigns/{campaignId}/recipients',
    'GET /v1/campaigns/{campaignId}',
    'GET /admin/consent-proofs/{email}',
    'ANY /admin/{proxy+}',
  ];
  const CONSOLE = ['GET /console', 'GET /console/{proxy+}', 'POST /console/{proxy+}'];
  const routes = () =>
    new Map(
      ofType('AWS::ApiGatewayV2::Route').map(([, r]) => [
        r.Properties.RouteKey as string,
        { auth: r.Properties.AuthorizationType as string, target: JSON.stringify(r.Properties.Target) },
      ]),
    );
  const integrationOf = (name: FunctionName) =>
    ofType('AWS::ApiGatewayV2::Integration').find(([, i]) => JSON.stringify(i.Properties.IntegrationUri).includes(logicalId(name)))?.[0] as string;

  it('has exactly the public, privileged and console routes, and no /local route', () => {
    expect([...routes().keys()].sort()).toEqual([...PUBLIC, ...PRIVILEGED, ...CONSOLE].sort());
  });

  it('sends the console routes, without an authorizer, to the console function (it signs people in itself)', () => {
    for (const key of CONSOLE) {
      expect(routes().get(key)?.auth, key).toBe('NONE');
      expect(routes().get(key)?.target, key).toContain(integrationOf('console'));
    }
  });

  it('puts the IAM authorizer on every privileged route, pointing at the privileged function', () => {
    for (const key of PRIVILEGED) {
      expect(routes().get(key)?.auth, key).toBe('AWS_IAM');
      expect(routes().get(key)?.target, key).toContain(integrationOf('apiPrivileged'));
    }
  });

  it('leaves every public route open, pointing at the public function', () => {
    for (const key of PUBLIC) {
      expect(routes().get(key)?.auth, key).toBe('NONE');
      expect(routes().get(key)?.target, key).toContain(integrationOf('apiPublic'));
    }
  });

  it('limits CORS to the four brand origins', () => {
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: Match.objectLike({ AllowOrigins: ['https://livlog.jp', 'https://livlog.xyz', 'https://cotogoto.ai', 'https://chroco.ooo'] }),
    });
  });

  it('throttles the stage and logs access without paths or IPs', () => {
    const [, stage] = ofType('AWS::ApiGatewayV2::Stage')[0] as [string, Resource];
    expect(stage.Properties.DefaultRouteSettings).toEqual({ ThrottlingBurstLimit: 100, ThrottlingRateLimit: 50 });
    const format = (stage.Properties.AccessLogSettings as { Format: string }).Format;
    expect(format).toContain('$context.routeKey');
    expect(format).not.toMatch(/\$context\.(path|identity\.sourceIp)/);
  });

  describe('throttles per route group', () => {
    const INTAKE = ['POST /v1/subscriptions', 'POST /v1/inquiries'];
    const LINKS = PUBLIC.filter((k) => /^\w+ \/(u|confirm|inquiries|exports|v1\/preferences)\//.test(k));
    type RouteSetting = { ThrottlingRateLimit: number; ThrottlingBurstLimit: number };
    const stage = () => ofType('AWS::ApiGatewayV2::Stage')[0] as [string, Resource & { DependsOn?: string[] }];
    const routeSettings = () => stage()[1].Properties.RouteSettings as Record<string, RouteSetting>;
    const limits = (t: { rateLimit: number; burstLimit: number }): RouteSetting => ({ ThrottlingRateLimit: t.rateLimit, ThrottlingBurstLimit: t.burstLimit });
    const { routeThrottles } = readSettings(new App({ context: CONTEXT }).node);

    it('gives every privileged route key a route setting of its own, so that no public flood draws on the pipeline', () => {
      expect(LINKS).toHaveLength(14);
      for (const key of PRIVILEGED) expect(routeSettings()[key], key).toEqual(limits(routeThrottles.privileged));
    });

    it('gives the intake routes their own limits, from the deployment settings, lower than the pipeline', () => {
      expect(routeThrottles.intake).toEqual({ rateLimit: 3, burstLimit: 10 });
      for (const key of INTAKE) expect(routeSettings()[key], key).toEqual(limits(routeThrottles.intake));
      expect(routeThrottles.intake.rateLimit).toBeLessThan(routeThrottles.privileged.rateLimit);
      for (const key of LINKS) expect(routeSettings()[key], key).toEqual(limits(routeThrottles.links));
    });

    it("gives every console route key the console's limits, from the deployment settings, so that the operators' sign-in and pages share no one's budget", () => {
      expect(routeThrottles.console).toEqual({ rateLimit: 20, burstLimit: 30 });
      for (const key of CONSOLE) expect(routeSettings()[key], key).toEqual(limits(routeThrottles.console));
    });

    it('names only route keys of the API, leaves the rest on the stage default, and creates the stage after the routes it names', () => {
      const all = routes();
      expect(Object.keys(routeSettings()).sort()).toEqual([...INTAKE, ...LINKS, ...PRIVILEGED, ...CONSOLE].sort());
      for (const key of Object.keys(routeSettings())) expect(all.has(key), key).toBe(true);
      // CloudFormation refuses a stage whose RouteSettings name a route not yet created.
      const routeIds = new Map(ofType('AWS::ApiGatewayV2::Route').map(([id, r]) => [r.Properties.RouteKey as string, id]));
      for (const key of Object.keys(routeSettings())) expect(stage()[1].DependsOn ?? [], key).toContain(routeIds.get(key));
    });
  });

  it('maps a brand custom domain from context onto the stage', () => {
    stateless.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'privacy.livlog.jp',
      DomainNameConfigurations: [Match.objectLike({ CertificateArn: CONTEXT.customDomains.livlog.certificateArn })],
    });
    stateless.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 1);
  });
});

describe('events, queues and schedules', () => {
  const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
  const queueId = (prefix: string) => ofType('AWS::SQS::Queue').find(([id]) => id.startsWith(prefix))?.[0] as string;

  it('routes SES bounce, complaint, delivery and reject events to the ses-events function, with retries and a DLQ', () => {
    stateless.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({
        source: ['aws.ses'],
        'detail-type': ['Email Bounced', 'Email Complaint Received', 'Email Delivered', 'Email Rejected'],
      }),
      Targets: [
        Match.objectLike({
          Arn: arnOf(logicalId('sesEvents')),
          DeadLetterConfig: { Arn: arnOf(queueId('SesEventsDlq')) },
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 21600 },
        }),
      ],
    });
    expect((resources[logicalId('sesEvents')] as Resource).Properties.DeadLetterConfig).toEqual({ TargetArn: arnOf(queueId('SesEventsDlq')) });
  });

  it('feeds the campaign worker from its queue with partial batch failures, and dead-letters after 5 receives', () => {
    stateless.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { deadLetterTargetArn: arnOf(queueId('CampaignDlq')), maxReceiveCount: 5 },
    });
    // A message whose worker died comes back after the visibility timeout; by then that worker's
    // claims must be stale, so that the message's own sweep settles them. Before, it came back
    // after 12 minutes, under the 15 of a claim, and the last message's claims stayed claimed.
    const queue = Object.values(resources).find(
      (r) => r.Type === 'AWS::SQS::Queue' && JSON.stringify(r.Properties).includes(queueId('CampaignDlq')),
    ) as Resource;
    const worker = resources[logicalId('campaignWorker')] as Resource;
    expect(queue.Properties.VisibilityTimeout as number).toBeGreaterThanOrEqual(CLAIM_TIMEOUT_MS / 1000 + (worker.Properties.Timeout as number));
    expect(queue.Properties.VisibilityTimeout as number).toBeGreaterThanOrEqual(6 * (worker.Properties.Timeout as number));
    stateless.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId('campaignWorker') },
      EventSourceArn: arnOf(queueId('CampaignQueue')),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 1,
    });
  });

  it('gives the campaign worker time for one message of 50 recipients at the slowest rate (1 a second), with room', () => {
    const worker = resources[logicalId('campaignWorker')] as Resource;
    expect(worker.Properties.Timeout as number).toBeGreaterThanOrEqual(50 * 2);
  });

  it('requires TLS on every queue', () => {
    for (const [, policy] of ofType('AWS::SQS::QueuePolicy')) {
      expect(JSON.stringify(policy.Properties.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
    }
    expect(ofType('AWS::SQS::QueuePolicy')).toHaveLength(4);
  });

  it('schedules the hourly inquiry job and the daily feedback rates through a role that may only invoke them', () => {
    const schedules = ofType('AWS::Scheduler::Schedule').map(
      ([, s]) => s.Properties as { ScheduleExpression: string; Target: { Arn: unknown; RoleArn: unknown; DeadLetterConfig: unknown } },
    );
    expect(schedules.map((s) => [s.ScheduleExpression, s.Target.Arn])).toEqual([
      ['rate(1 hour)', arnOf(logicalId('scheduler'))],
      ['cron(15 0 * * ? *)', arnOf(logicalId('feedbackRates'))],
    ]);
    for (const s of schedules) expect(s.Target.DeadLetterConfig).toEqual({ Arn: arnOf(queueId('SchedulerDlq')) });
    const roleId = ((schedules[0] as (typeof schedules)[number]).Target.RoleArn as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0];
    const statements = ofType('AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(roleId as string))
      .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
    expect(statements).toEqual([
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: [arnOf(logicalId('scheduler')), arnOf(logicalId('feedbackRates'))] },
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: arnOf(queueId('SchedulerDlq')) },
    ]);
  });
});

describe('alarms', () => {
  const alarms = () => ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties as Record<string, unknown>);
  const find = (metric: string, extra: (a: Record<string, unknown>) => boolean = () => true) => alarms().filter((a) => a.MetricName === metric && extra(a));

  it('alarms on a message in any dead-letter queue', () => {
    const dlqAlarms = find('ApproximateNumberOfMessagesVisible');
    expect(dlqAlarms).toHaveLength(3);
    for (const a of dlqAlarms) {
      expect(a.Threshold).toBe(1);
      expect(a.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
    }
    const queues = dlqAlarms.map((a) => JSON.stringify(a.Dimensions));
    for (const q of ['CampaignDlq', 'SesEventsDlq', 'SchedulerDlq']) expect(queues.some((d) => d.includes(q))).toBe(true);
  });

  it('alarms on errors and throttles of every function, and on API 5xx', () => {
    for (const name of Object.keys(statelessStack.functions) as FunctionName[]) {
      for (const metric of ['Errors', 'Throttles']) {
        expect(
          find(metric, (a) => JSON.stringify(a.Dimensions).includes(logicalId(name))),
          `${name} ${metric}`,
        ).toHaveLength(1);
      }
    }
    expect(find('5xx', (a) => a.Namespace === 'AWS/ApiGateway')).toHaveLength(1);
  });

  it('alarms before SES reviews the account: bounces at 4 %, complaints at 0.08 %, overall (fractions) and per brand (percent)', () => {
    expect(find('Reputation.BounceRate', (a) => a.Namespace === 'AWS/SES' && a.Threshold === 0.04)).toHaveLength(1);
    expect(find('Reputation.ComplaintRate', (a) => a.Namespace === 'AWS/SES' && a.Threshold === 0.0008)).toHaveLength(1);
    for (const brand of ['livlog', 'livlog-xyz', 'cotogoto', 'chroco']) {
      const dims = [{ Name: 'Brand', Value: brand }];
      expect(
        find('BounceRate', (a) => a.Namespace === 'PrivacyBackend' && a.Threshold === 4 && JSON.stringify(a.Dimensions) === JSON.stringify(dims)),
      ).toHaveLength(1);
      expect(
        find('ComplaintRate', (a) => a.Namespace === 'PrivacyBackend' && a.Threshold === 0.08 && JSON.stringify(a.Dimensions) === JSON.stringify(dims)),
      ).toHaveLength(1);
    }
  });

  it('sends every alarm to the SNS topic, which mails the address from context', () => {
    const [topicId] = ofType('AWS::SNS::Topic')[0] as [string, Resource];
    for (const a of alarms()) expect(a.AlarmActions).toEqual([{ Ref: topicId }]);
    stateless.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@livlog.jp', TopicArn: { Ref: topicId } });
  });
});

describe('cdk-nag', () => {
  it('reports no unacknowledged AwsSolutions finding in either stack', () => {
    const report = new AwsSolutionsChecks().validateScope(app);
    expect(report.violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    expect(statefulStack.node.findAll().length).toBeGreaterThan(0);
  });

  it('acknowledges APIG4 (no authorizer) on public and console routes only, never on the API or a privileged route', () => {
    const acknowledgedAt = app.node
      .findAll()
      .filter((c) =>
        c.node.metadata.some((m) => m.type === 'aws:cdk:acknowledged-rules' && Object.keys(m.data as object).some((k) => k.endsWith('AwsSolutions-APIG4'))),
      )
      .map((c) => c.node.id);
    expect(acknowledgedAt.sort()).toEqual(
      [
        'GET--u--{token}',
        'HEAD--u--{token}',
        'POST--u--{token}',
        'POST--u--{token}--preferences',
        'GET--v1--preferences--{token}',
        'PUT--v1--preferences--{token}',
        'POST--v1--subscriptions',
        'GET--subscriptions--check-your-mail',
        'GET--confirm--{token}',
        'HEAD--confirm--{token}',
        'POST--confirm--{token}',
        'POST--v1--inquiries',
        'GET--inquiries--verify--{token}',
        'HEAD--inquiries--verify--{token}',
        'POST--inquiries--verify--{token}',
        'GET--inquiries--status--{token}',
        'GET--exports--{token}',
        'GET--contact',
        'GET--contact--thanks',
        'GET--health',
        'GET--assets--{proxy+}',
        'GET--openapi.json',
        'GET--docs',
        'GET--console',
        'GET--console--{proxy+}',
        'POST--console--{proxy+}',
      ].sort(),
    );
  });
});

describe('timeouts', () => {
  const timeoutsOf = (name: FunctionName) => {
    const props = (resources[logicalId(name)] as Resource).Properties;
    const env = ((props.Environment as { Variables?: Record<string, string> } | undefined)?.Variables ?? {}) as Record<string, string>;
    return { lambdaMs: (props.Timeout as number) * 1000, ...readTimeouts(env) };
  };

  it('gives every function room for a store call and an SES call that get no answer, so it ends them itself', () => {
    for (const name of Object.keys(FUNCTION_ENTRIES) as FunctionName[]) {
      const t = timeoutsOf(name);
      expect(storeCallBudgetMs(t.storeTimeouts) + t.sesTimeouts.requestMs, name).toBeLessThanOrEqual(t.lambdaMs);
    }
  });

  it('lets the API functions answer 503 within 5 s when the store does not answer (CONTRACT.md "Errors")', () => {
    for (const name of ['apiPublic', 'apiPrivileged'] as const) {
      const t = timeoutsOf(name);
      expect(t.storeTimeouts.connectMs, name).toBeLessThanOrEqual(t.storeTimeouts.requestMs);
      // Room left for the request's own work around the call that fails.
      expect(storeCallBudgetMs(t.storeTimeouts), name).toBeLessThanOrEqual(4500);
    }
  });
});
