import { CfnOutput, Duration } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { ApiMapping, CorsHttpMethod, DomainName, HttpApi, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { FUNCTION_ENTRIES } from '../function-entries';
import type { CustomDomain, Throttle, ThrottleGroup } from '../settings';
import { ApiRoutes } from './api-routes';
import { AppFunction } from './app-function';
import { allowTemplateSends, bindData, type FunctionContext, GSI_INQUIRIES, GSI_SUPPRESSIONS } from './function-context';

const ITEM_WRITES = ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'] as const;

export interface ApiProps {
  /** Shared by the API's functions; `environment` without PUBLIC_BASE_URL, which this construct sets. */
  functions: FunctionContext;
  /** Base URL of links in mails and pages. @default the API's own execute-api endpoint */
  publicBaseUrl?: string;
  /** Origins the browser may call the API from (CORS preflight). */
  corsOrigins: string[];
  /** The stage's default limits, for routes of no throttle group. */
  throttle: Throttle;
  /** Limits per route group (lib/settings.ts `routeThrottles`). */
  routeThrottles: Record<ThrottleGroup, Throttle>;
  /** Brand domains mapped onto the stage, each with its ACM certificate. */
  customDomains: CustomDomain[];
  /** Role names that may send transactional mail (lib/settings.ts). @default none */
  transactionalSenderRoles?: string[];
  /** The console's sign-in variables (lib/constructs/console-users.ts). */
  consoleEnvironment: Record<string, string>;
}

/**
 * The HTTP API: its stage and access logs, the public and privileged functions behind it, the IAM
 * authorizer and the routes (lib/constructs/api-routes.ts), and the brands' custom domains.
 *
 * Its resources are created in the scope it is given (the stack), not under this construct, so
 * their logical ids are those the stack has always had: a new id would replace the API (a new
 * endpoint) and the custom domains (which CloudFormation cannot create twice under one name).
 */
export class Api extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  /** The functions' variables: the context's, with PUBLIC_BASE_URL first. */
  readonly environment: Record<string, string>;
  readonly apiPublic: AppFunction;
  readonly apiPrivileged: AppFunction;
  readonly console: AppFunction;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    this.httpApi = new HttpApi(scope, 'HttpApi', {
      description: 'Email preferences and privacy inquiries',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: props.corsOrigins,
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.HEAD, CorsHttpMethod.POST, CorsHttpMethod.PUT],
        allowHeaders: ['content-type'],
        maxAge: Duration.hours(1),
      },
    });
    const accessLogs = new LogGroup(scope, 'ApiAccessLogs', { retention: RetentionDays.ONE_MONTH });
    this.stage = new HttpStage(scope, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      // Route and status only; the default format would log the caller's IP and the path (which holds tokens).
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latency: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });
    this.environment = { PUBLIC_BASE_URL: props.publicBaseUrl ?? this.httpApi.apiEndpoint, ...props.functions.environment };
    const ctx: FunctionContext = { ...props.functions, environment: this.environment };

    this.apiPublic = bindData(
      new AppFunction(scope, 'ApiPublic', {
        entry: FUNCTION_ENTRIES.apiPublic.entry,
        description: 'Public HTTP API: unsubscribe, preferences, subscriptions, inquiries, pages',
        // 512 MB: a request is a few DynamoDB calls, an HMAC and a small page; 512 MB buys the CPU
        // for a ~250 KB bundle's cold start without paying for memory it never fills.
        memorySize: 512,
        // 10 s: far above a normal request (tens of ms) and well inside API Gateway's 30 s, so a
        // stuck dependency ends as a clean 5xx instead of holding a concurrency slot.
        timeout: Duration.seconds(10),
        environment: this.environment,
      }),
      ctx,
      { actions: [...ITEM_WRITES] },
    ).allow(['ses:SendEmail'], ctx.sendEmailResources);

    // The campaign queue's URL and sqs:SendMessage come from Campaigns.allowEnqueue.
    this.apiPrivileged = bindData(
      new AppFunction(scope, 'ApiPrivileged', {
        entry: FUNCTION_ENTRIES.apiPrivileged.entry,
        description: 'Privileged HTTP API (IAM): send filter, sends, campaigns, privacy officer tools',
        // 1024 MB: POST /v1/sends/filter takes 10,000 addresses (normalize + HMAC each, 100
        // BatchGetItem calls in flight) and the suppression export builds CSV in memory; Lambda's CPU
        // share grows with memory, and this route must finish inside one API Gateway request.
        memorySize: 1024,
        // 29 s: API Gateway's integration limit is 30 s; anything longer is cut off there anyway.
        timeout: Duration.seconds(29),
        environment: { ...this.environment, ADMIN_AUTH: 'iam', TRANSACTIONAL_SENDER_ROLES: JSON.stringify(props.transactionalSenderRoles ?? []) },
      }),
      ctx,
      {
        actions: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem', 'BatchWriteItem'],
        indexes: [GSI_INQUIRIES, GSI_SUPPRESSIONS],
      },
    )
      .allow(['ses:SendEmail'], ctx.sendEmailResources)
      .bindConsentProofSecret(ctx.consentProofSecret);
    allowTemplateSends(this.apiPrivileged, ctx);

    this.console = consoleFunction(scope, ctx, props.consoleEnvironment);

    new ApiRoutes(scope, 'Routes', {
      api: this.httpApi,
      stage: this.stage,
      publicIntegration: new HttpLambdaIntegration('PublicIntegration', this.apiPublic),
      privilegedIntegration: new HttpLambdaIntegration('PrivilegedIntegration', this.apiPrivileged),
      privilegedAuthorizer: new HttpIamAuthorizer(),
      consoleIntegration: new HttpLambdaIntegration('ConsoleIntegration', this.console),
      throttles: props.routeThrottles,
    });

    for (const d of props.customDomains) {
      const domain = new DomainName(scope, `Domain-${d.brand}`, {
        domainName: d.domainName,
        certificate: Certificate.fromCertificateArn(scope, `Cert-${d.brand}`, d.certificateArn),
      });
      new ApiMapping(scope, `Mapping-${d.brand}`, { api: this.httpApi, domainName: domain, stage: this.stage });
      new CfnOutput(scope, `DnsTarget-${d.brand}`, { value: domain.regionalDomainName, description: `CNAME/ALIAS target for ${d.domainName}` });
    }
  }
}

/**
 * The console's function. Its pages run the officer's use cases (inquiries and their mails,
 * erasure, exports with signed links, the subscriber look-up, suppressions with import and export,
 * campaign progress, feedback rates) and its sign-in keeps attempts and sessions in the table: the
 * privileged function's table actions and indexes but BatchWriteItem (nothing of the store uses
 * it), ses:SendEmail for the inquiry mails, the secret for the token keys; no template sends and
 * no campaign queue, which only the send pipeline uses.
 */
function consoleFunction(scope: Construct, ctx: FunctionContext, consoleEnvironment: Record<string, string>): AppFunction {
  return bindData(
    new AppFunction(scope, 'Console', {
      entry: FUNCTION_ENTRIES.console.entry,
      description: 'Console for the privacy officer and marketing: pages and OpenID Connect sign-in',
      // 1024 MB, as the privileged function: the same use cases (an erasure, an export, a CSV import) run here.
      memorySize: 1024,
      // 29 s: API Gateway's integration limit is 30 s.
      timeout: Duration.seconds(29),
      environment: { ...ctx.environment, ...consoleEnvironment },
    }),
    ctx,
    {
      actions: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'],
      indexes: [GSI_INQUIRIES, GSI_SUPPRESSIONS],
    },
  ).allow(['ses:SendEmail'], ctx.sendEmailResources);
}
