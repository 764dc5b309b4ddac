import type { Node } from 'constructs';
import { loadBrands } from '../functions/config';
import { type Brands, formatPath, fromAddress } from '../functions/core/brands';
import { ROLE_NAME } from '../functions/core/caller';

/** A brand's own host name for the API (optional): an ACM certificate in the stack's region. */
export interface CustomDomain {
  brand: string;
  domainName: string;
  certificateArn: string;
}

/** Steady rate (requests a second) and burst (requests at once) of API Gateway's token bucket. */
export interface Throttle {
  rateLimit: number;
  burstLimit: number;
}

/**
 * Routes that get limits of their own, per route key (lib/constructs/api-routes.ts says which route
 * is in which): the public forms, the links in emails, the send pipeline and privacy officer, and
 * the console's sign-in and pages.
 */
export type ThrottleGroup = 'intake' | 'links' | 'privileged' | 'console';

/**
 * Everything a deployment can vary, read once from CDK context (`-c key=value` or cdk.json /
 * cdk.context.json) and validated; docs/operations.md lists the keys per environment.
 */
export interface DeploySettings {
  /**
   * The deployment's name; `production` is the one that mails real people, so its synth refuses
   * brands values an operator has not filled in yet (those beginning `TODO:`). @default development
   */
  stage: string;
  /** Base of links in emails. @default the HTTP API's own URL */
  publicBaseUrl?: string;
  /** Customer-managed KMS key for the table. @default false */
  customerManagedKey: boolean;
  /** Domains mail is sent from: IAM for ses:SendEmail is scoped to exactly these identities. */
  sendingDomains: string[];
  /** Domains whose SES identities the stateful stack creates. @default sendingDomains */
  sesIdentityDomains: string[];
  /** Site origins allowed by CORS: the brands' origins. */
  corsOrigins: string[];
  /** Where alarm notifications go (an SNS email subscription). @default no subscription */
  alarmEmail?: string;
  customDomains: CustomDomain[];
  /** The stage's default, for routes outside the groups below (pages, assets, health). @default 50 requests/s, burst 100 */
  throttle: Throttle;
  /**
   * Each route key of a group gets these limits as its own, so a flood on one route never answers
   * 429 on another. `intake` @default 5/s, burst 10: the contact and subscription forms, each
   * request held at least `ANSWER_FLOOR_MS` (500 ms), where 5/s is far above what four sites'
   * people type and keeps a bot to a few busy functions. `links` @default 50/s, burst 100:
   * unsubscribe and confirmation links, which follow a campaign's sends. `privileged` @default
   * 20/s, burst 40: the send pipeline (one filter call per 10,000 addresses, one send call per 50)
   * and the privacy officer's tools. `console` @default 20/s, burst 40: the console's sign-in and
   * pages, for a handful of operators (a page is one request; a burst covers a few tabs opened at
   * once), which no flood of the public routes may starve and which in turn cannot draw more.
   */
  routeThrottles: Record<ThrottleGroup, Throttle>;
  /**
   * IAM role names whose sessions may send transactional mail through the send pipeline; every
   * other caller of the privileged API gets 403 for that category (CONTRACT.md "Sending"). Given
   * only to the privileged function, as `TRANSACTIONAL_SENDER_ROLES`. @default none
   */
  transactionalSenderRoles: string[];
  /** Passed to the functions as-is when set (functions/config.ts validates them). */
  functionEnv: Record<string, string>;
  /** The console's sign-in: the Cognito user pool of lib/constructs/console-users.ts. */
  console: ConsoleSettings;
}

export interface ConsoleSettings {
  /**
   * Cognito's Plus feature plan with threat protection (compromised credentials, adaptive
   * authentication) enforced. Off: the Essentials plan and no threat protection. @default true
   */
  threatProtection: boolean;
  /** Prefix of the managed login domain, `<prefix>.auth.<region>.amazoncognito.com`. @default privacy-console-<account id> */
  domainPrefix?: string;
  /** Where the console is served; the app client's callback and sign-out URLs derive from it. @default publicBaseUrl */
  baseUrl?: string;
}

const list = (v: unknown): string[] | undefined => {
  if (v === undefined) return undefined;
  if (Array.isArray(v)) return v.map(String);
  const s = String(v).trim();
  if (s === '' || s === 'none') return [];
  return s.startsWith('[') ? (JSON.parse(s) as unknown[]).map(String) : s.split(',').map((x) => x.trim());
};

const positive = (key: string, v: unknown, fallback: number): number => {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`context ${key}: must be a positive number, got ${String(v)}`);
  return n;
};

const GROUP_DEFAULTS: Record<ThrottleGroup, Throttle> = {
  intake: { rateLimit: 5, burstLimit: 10 },
  links: { rateLimit: 50, burstLimit: 100 },
  privileged: { rateLimit: 20, burstLimit: 40 },
  console: { rateLimit: 20, burstLimit: 40 },
};

/** `<prefix>Rate` and `<prefix>Burst`; a burst is a whole number of requests (API Gateway's type). */
const throttleOf = (ctx: (key: string) => unknown, prefix: string, fallback: Throttle): Throttle => {
  const burstLimit = positive(`${prefix}Burst`, ctx(`${prefix}Burst`), fallback.burstLimit);
  if (!Number.isInteger(burstLimit)) throw new Error(`context ${prefix}Burst: must be a whole number, got ${String(ctx(`${prefix}Burst`))}`);
  return { rateLimit: positive(`${prefix}Rate`, ctx(`${prefix}Rate`), fallback.rateLimit), burstLimit };
};

/** The paths of every string of the brands that begins `TODO:` (a value still to be filled in). */
export function todoPaths(value: unknown, path: (string | number)[] = []): string[] {
  if (typeof value === 'string') return value.startsWith('TODO:') ? [formatPath(path)] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => todoPaths(v, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => todoPaths(v, [...path, k]));
  return [];
}

/**
 * Reads and validates the deployment's context; a bad value fails the synth naming the key.
 * `bundled` is the brands file the functions are built with (a test passes another).
 */
export function readSettings(node: Node, bundled: Brands = loadBrands()): DeploySettings {
  const ctx = (key: string): unknown => node.tryGetContext(key);
  const brands = bundled.list;
  const stage = String(ctx('stage') ?? 'development');
  if (!/^[a-z][a-z0-9-]{0,31}$/.test(stage)) throw new Error(`context stage: lowercase letters, digits and dashes, got ${stage}`);
  // The footer of every marketing mail shows these values to recipients, as the law asks.
  const todo = stage === 'production' ? todoPaths(brands, ['brands']) : [];
  if (todo.length) throw new Error(`context stage=production: brands values still begin with "TODO:" (functions/brands.json): ${todo.join(', ')}`);
  const sendingDomains = [...new Set(brands.map((b) => fromAddress(b.from).split('@')[1] ?? ''))].filter(Boolean);

  const rawDomains = ctx('customDomains');
  const domainsObj = (typeof rawDomains === 'string' ? JSON.parse(rawDomains) : (rawDomains ?? {})) as Record<
    string,
    { domainName?: string; certificateArn?: string }
  >;
  const customDomains = Object.entries(domainsObj).map(([brand, d]) => {
    if (!brands.some((b) => b.id === brand)) throw new Error(`context customDomains: unknown brand ${brand}`);
    if (!d.domainName || !d.certificateArn?.startsWith('arn:')) throw new Error(`context customDomains.${brand}: needs domainName and certificateArn`);
    return { brand, domainName: d.domainName, certificateArn: d.certificateArn };
  });

  const publicBaseUrl = ctx('publicBaseUrl') as string | undefined;
  if (publicBaseUrl !== undefined && !/^https:\/\//.test(publicBaseUrl)) throw new Error('context publicBaseUrl: must be an https:// URL');
  const alarmEmail = ctx('alarmEmail') as string | undefined;
  if (alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+$/.test(alarmEmail)) throw new Error('context alarmEmail: must be an email address');

  const transactionalSenderRoles = list(ctx('transactionalSenderRoles')) ?? [];
  for (const r of transactionalSenderRoles) {
    if (!ROLE_NAME.test(r)) throw new Error(`context transactionalSenderRoles: "${r}" is not an IAM role name (letters, digits and +=,.@_-, up to 64)`);
  }

  const functionEnv: Record<string, string> = {};
  for (const [key, name] of [
    ['campaignSendRate', 'CAMPAIGN_SEND_RATE'],
    ['privacyOfficerEmail', 'PRIVACY_OFFICER_EMAIL'],
    ['policyVersion', 'POLICY_VERSION'],
  ] as const) {
    const v = ctx(key);
    if (v !== undefined) functionEnv[name] = String(v);
  }

  return {
    stage,
    ...(publicBaseUrl ? { publicBaseUrl } : {}),
    customerManagedKey: String(ctx('customerManagedKey') ?? 'false') === 'true',
    sendingDomains,
    sesIdentityDomains: list(ctx('sesIdentityDomains')) ?? sendingDomains,
    corsOrigins: brands.map((b) => b.origin),
    ...(alarmEmail ? { alarmEmail } : {}),
    customDomains,
    throttle: throttleOf(ctx, 'throttle', { rateLimit: 50, burstLimit: 100 }),
    routeThrottles: {
      intake: throttleOf(ctx, 'throttleIntake', GROUP_DEFAULTS.intake),
      links: throttleOf(ctx, 'throttleLinks', GROUP_DEFAULTS.links),
      privileged: throttleOf(ctx, 'throttlePrivileged', GROUP_DEFAULTS.privileged),
      console: throttleOf(ctx, 'throttleConsole', GROUP_DEFAULTS.console),
    },
    transactionalSenderRoles,
    functionEnv,
    console: consoleOf(ctx, publicBaseUrl),
  };
}

function consoleOf(ctx: (key: string) => unknown, publicBaseUrl: string | undefined): ConsoleSettings {
  const threat = String(ctx('consoleThreatProtection') ?? 'true');
  if (threat !== 'true' && threat !== 'false') throw new Error(`context consoleThreatProtection: must be true or false, got ${threat}`);
  const prefix = ctx('consoleDomainPrefix') as string | undefined;
  // Cognito's rule for a prefix of its own domain (and it may not contain "aws" or "cognito").
  if (prefix !== undefined && (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(prefix) || /aws|cognito/.test(prefix))) {
    throw new Error('context consoleDomainPrefix: lowercase letters, digits and hyphens, without "aws" or "cognito"');
  }
  const baseUrl = (ctx('consoleBaseUrl') as string | undefined) ?? publicBaseUrl;
  if (baseUrl !== undefined && !/^https:\/\//.test(baseUrl)) throw new Error('context consoleBaseUrl: must be an https:// URL');
  // The console's routes and its cookies' Path=/console are at the host's root.
  if (baseUrl !== undefined && !/^https:\/\/[^/?#]+\/*$/.test(baseUrl)) throw new Error('context consoleBaseUrl: an origin only, no path, query or fragment');
  return { threatProtection: threat === 'true', ...(prefix ? { domainPrefix: prefix } : {}), ...(baseUrl ? { baseUrl: baseUrl.replace(/\/+$/, '') } : {}) };
}
