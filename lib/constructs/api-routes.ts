import { Validations } from 'aws-cdk-lib';
import {
  type CfnStage,
  type HttpApi,
  HttpMethod,
  type HttpRoute,
  type HttpRouteIntegration,
  type HttpStage,
  type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { Construct } from 'constructs';
import type { Throttle, ThrottleGroup } from '../settings';

const { GET, HEAD, POST, PUT, ANY } = HttpMethod;

export interface RouteSpec {
  path: string;
  methods: HttpMethod[];
  /** The group whose limits each of its route keys gets as its own. @default the stage's default */
  throttle?: ThrottleGroup;
}

/** Routes served by the public function: no authorizer. CONTRACT.md "Public routes". */
export const PUBLIC_ROUTES: RouteSpec[] = [
  { path: '/u/{token}', methods: [GET, HEAD, POST], throttle: 'links' },
  { path: '/u/{token}/preferences', methods: [POST], throttle: 'links' },
  { path: '/v1/preferences/{token}', methods: [GET, PUT], throttle: 'links' },
  { path: '/v1/subscriptions', methods: [POST], throttle: 'intake' },
  // Where a browser's subscription form lands (303 from POST /v1/subscriptions).
  { path: '/subscriptions/check-your-mail', methods: [GET] },
  { path: '/confirm/{token}', methods: [GET, HEAD, POST], throttle: 'links' },
  { path: '/v1/inquiries', methods: [POST], throttle: 'intake' },
  { path: '/inquiries/verify/{token}', methods: [GET, HEAD, POST], throttle: 'links' },
  { path: '/inquiries/status/{token}', methods: [GET], throttle: 'links' },
  { path: '/exports/{token}', methods: [GET], throttle: 'links' },
  { path: '/contact', methods: [GET] },
  { path: '/contact/thanks', methods: [GET] },
  { path: '/health', methods: [GET] },
  { path: '/assets/{proxy+}', methods: [GET] },
  { path: '/openapi.json', methods: [GET] },
  { path: '/docs', methods: [GET] },
];

/** Routes served by the privileged function, each behind the IAM authorizer (SigV4). `/local/*` is never deployed. */
export const PRIVILEGED_ROUTES: RouteSpec[] = [
  { path: '/v1/sends/filter', methods: [POST], throttle: 'privileged' },
  { path: '/v1/sends', methods: [POST], throttle: 'privileged' },
  { path: '/v1/campaigns/{campaignId}/recipients', methods: [POST], throttle: 'privileged' },
  { path: '/v1/campaigns/{campaignId}', methods: [GET], throttle: 'privileged' },
  // Named apart from /admin/{proxy+} so that the one route that opens sealed proofs of consent
  // stands in the route list (and in the stage's route settings) by itself.
  { path: '/admin/consent-proofs/{email}', methods: [GET], throttle: 'privileged' },
  { path: '/admin/{proxy+}', methods: [ANY], throttle: 'privileged' },
];

/**
 * Routes served by the console's function, with no authorizer: the function signs operators in
 * (OpenID Connect) and checks the session and the CSRF token of every request itself. Open to
 * the internet like the public routes, so they get a bucket of their own rather than the stage's.
 */
export const CONSOLE_ROUTES: RouteSpec[] = [
  { path: '/console', methods: [GET], throttle: 'console' },
  { path: '/console/{proxy+}', methods: [GET, POST], throttle: 'console' },
];

export interface ApiRoutesProps {
  api: HttpApi;
  /** The stage whose route settings carry each group's limits. */
  stage: HttpStage;
  publicIntegration: HttpRouteIntegration;
  privilegedIntegration: HttpRouteIntegration;
  privilegedAuthorizer: IHttpRouteAuthorizer;
  consoleIntegration: HttpRouteIntegration;
  /** Limits per group (lib/settings.ts `routeThrottles`). */
  throttles: Record<ThrottleGroup, Throttle>;
}

/**
 * The API's routes and their throttles. The stage's default throttle is one setting for every
 * route, so the send pipeline's budget would be whatever a bot posting forms leaves of it; instead
 * each route key of a group gets the group's limits in the stage's `RouteSettings` (route-level
 * throttling of HTTP APIs), its own bucket. The account's regional limit is still shared by
 * everything in the account and region.
 */
export class ApiRoutes extends Construct {
  /** Route key (`POST /v1/sends`) → its limits. */
  readonly routeThrottles: Record<string, Throttle> = {};

  constructor(scope: Construct, id: string, props: ApiRoutesProps) {
    super(scope, id);
    const throttled: HttpRoute[] = [];
    const add = (spec: RouteSpec, integration: HttpRouteIntegration, authorizer?: IHttpRouteAuthorizer) => {
      const routes = props.api.addRoutes({ path: spec.path, methods: spec.methods, integration, ...(authorizer ? { authorizer } : {}) });
      if (spec.throttle) {
        const limits = props.throttles[spec.throttle];
        for (const method of spec.methods) this.routeThrottles[`${method} ${spec.path}`] = limits;
        throttled.push(...routes);
      }
      return routes;
    };
    for (const spec of PUBLIC_ROUTES) {
      for (const route of add(spec, props.publicIntegration)) {
        Validations.of(route).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            'Public by design: RFC 8058 one-click POSTs, links in emails and contact forms carry no credentials; the function checks each signed token and rate-limits the forms.',
        });
      }
    }
    for (const spec of PRIVILEGED_ROUTES) add(spec, props.privilegedIntegration, props.privilegedAuthorizer);
    for (const spec of CONSOLE_ROUTES) {
      for (const route of add(spec, props.consoleIntegration)) {
        Validations.of(route).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            'The console authenticates in its function: OpenID Connect against the Cognito user pool, a session in the table, a CSRF token on every POST; a request without a session is sent to sign in.',
        });
      }
    }

    const cfnStage = props.stage.node.defaultChild as CfnStage;
    cfnStage.routeSettings = Object.fromEntries(
      Object.entries(this.routeThrottles).map(([key, t]) => [key, { ThrottlingRateLimit: t.rateLimit, ThrottlingBurstLimit: t.burstLimit }]),
    );
    // CloudFormation refuses a stage whose RouteSettings name a route it has not created yet.
    props.stage.node.addDependency(...throttled);
  }
}
