import { Annotations, Duration, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { ConsoleSettings } from '../settings';

/** The user pool groups the console reads from `cognito:groups` (functions/core/console-session.ts). */
export const CONSOLE_GROUPS = ['privacy-officer', 'marketing'] as const;

/** Where the app client's URLs point while no console URL is set: reserved, so it can never be someone's. */
const NO_CONSOLE_URL = 'https://console-url-not-set.invalid';

export interface ConsoleUsersProps {
  settings: ConsoleSettings;
}

/**
 * The console's operators: a Cognito user pool nobody signs up to (an administrator creates each
 * account, docs/operations.md), MFA by authenticator app required, threat protection with the
 * Plus plan, the groups of the two roles, a managed login domain (version 2, Cognito's own
 * branding) and the console's app client: authorization code with PKCE, no client secret (the
 * code is bound to the PKCE verifier the function keeps in the table, and a secret would be one
 * more value to store, rotate and hand to the function for no gain over that binding).
 */
export class ConsoleUsers extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly domain: UserPoolDomain;
  /** The base of the app client's callback and sign-out URLs, when the context gives one. */
  private readonly baseUrl?: string;

  constructor(scope: Construct, id: string, props: ConsoleUsersProps) {
    super(scope, id);
    const s = props.settings;
    this.userPool = new UserPool(this, 'UserPool', {
      userPoolName: 'privacy-console',
      selfSignUpEnabled: false,
      signInAliases: { username: true },
      signInCaseSensitive: false,
      standardAttributes: { email: { required: true, mutable: true } },
      autoVerify: { email: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: s.threatProtection ? FeaturePlan.PLUS : FeaturePlan.ESSENTIALS,
      ...(s.threatProtection ? { standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION } : {}),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    if (!s.threatProtection) {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG8',
        reason: 'The deployment turned threat protection off (context consoleThreatProtection=false), so the pool stays on the Essentials plan.',
      });
    }
    for (const groupName of CONSOLE_GROUPS) this.userPool.addGroup(`Group-${groupName}`, { groupName });

    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: s.domainPrefix ?? Fn.join('-', ['privacy-console', Stack.of(this).account]) },
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });

    if (!s.baseUrl) {
      Annotations.of(this).addWarningV2(
        'privacy:console-url',
        'No publicBaseUrl or consoleBaseUrl in the context: the console app client points at a placeholder and sign-in in AWS fails until one is set.',
      );
    }
    if (s.baseUrl) this.baseUrl = s.baseUrl;
    const base = s.baseUrl ?? NO_CONSOLE_URL;
    this.client = this.userPool.addClient('ConsoleClient', {
      userPoolClientName: 'console',
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [OAuthScope.OPENID],
        callbackUrls: [`${base}/console/callback`],
        logoutUrls: [`${base}/console/signed-out`],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      // The console reads the ID token once, at sign-in; its own session (8 hours) is in the table.
      idTokenValidity: Duration.minutes(60),
      accessTokenValidity: Duration.minutes(60),
      refreshTokenValidity: Duration.minutes(60),
    });
    new CfnManagedLoginBranding(this, 'Branding', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    });
  }

  /** The variables functions/config.ts reads for the console's sign-in. */
  get environment(): Record<string, string> {
    return {
      // ProviderURL has no scheme; the issuer in the pool's discovery document is https://cognito-idp.<region>.amazonaws.com/<pool id>.
      CONSOLE_OIDC_ISSUER: `https://${this.userPool.userPoolProviderUrl}`,
      CONSOLE_OIDC_CLIENT_ID: this.client.userPoolClientId,
      // Cognito's discovery names no end-session endpoint; its managed login's logout is here.
      CONSOLE_OIDC_LOGOUT_URL: `${this.domain.baseUrl()}/logout`,
      // The function builds its redirect_uri on this, so it is the registered callback's base by
      // construction, wherever the console is served (consoleBaseUrl may differ from publicBaseUrl).
      ...(this.baseUrl ? { CONSOLE_BASE_URL: this.baseUrl } : {}),
    };
  }
}
