import { App, type CfnResource } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildStacks } from '../../lib/app';
import type { FunctionName } from '../../lib/function-entries';
import type { StatelessStack } from '../../lib/stateless-stack';

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };
type Statement = { Action: string | string[]; Resource: unknown };

/**
 * The key that seals erasures' proofs of consent is held by the functions that carry out
 * erasures (the privileged API, and the scheduler that finishes stopped ones) and by no other:
 * not the public function, which faces the internet.
 */
let stateless: StatelessStack;
let resources: Record<string, Resource>;
let statefulResources: Record<string, Resource>;
let proofSecretId: string;
let sharedSecretId: string;

beforeAll(() => {
  // Roles and variables need no bundles: this App skips bundling.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] }, builtinCloudFormationValidation: false });
  const built = buildStacks(app);
  stateless = built.stateless;
  resources = Template.fromStack(built.stateless).toJSON().Resources as Record<string, Resource>;
  statefulResources = Template.fromStack(built.stateful).toJSON().Resources as Record<string, Resource>;
  proofSecretId = built.stateful.getLogicalId(built.stateful.consentProofSecret.node.defaultChild as CfnResource);
  sharedSecretId = built.stateful.getLogicalId(built.stateful.secrets.node.defaultChild as CfnResource);
}, 60_000);

const HOLDERS: FunctionName[] = ['apiPrivileged', 'scheduler'];
const names = () => Object.keys(stateless.functions) as FunctionName[];
const fnOf = (name: FunctionName) => resources[stateless.getLogicalId(stateless.functions[name].node.defaultChild as CfnResource)] as Resource;
const varsOf = (name: FunctionName) => (fnOf(name).Properties.Environment as { Variables: Record<string, unknown> }).Variables;
const asList = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

function statementsOf(name: FunctionName): Statement[] {
  const roleId = ((fnOf(name).Properties.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'] as string[])[0];
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && (r.Properties.Roles as { Ref: string }[]).some((x) => x.Ref === roleId))
    .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

/** Whether any statement of the function's role lets it read the proof secret. */
const readsProofSecret = (name: FunctionName) =>
  statementsOf(name).some((s) => asList(s.Action).includes('secretsmanager:GetSecretValue') && JSON.stringify(s.Resource).includes(proofSecretId));

describe('the consent proof key', () => {
  it('lives in a retained secret of its own, apart from the secret every function reads', () => {
    expect(proofSecretId).not.toBe(sharedSecretId);
    const secret = statefulResources[proofSecretId] as Resource;
    expect(secret.Type).toBe('AWS::SecretsManager::Secret');
    expect(secret.DeletionPolicy).toBe('Retain');
    // Generated, never typed in: its own random seed.
    expect(JSON.stringify(secret.Properties.GenerateSecretString)).toContain('SEED');
  });

  it('is given (its ARN, and the right to read it) to the privileged API and the scheduler only', () => {
    expect(names().length).toBeGreaterThanOrEqual(6);
    for (const name of names()) {
      const holds = HOLDERS.includes(name);
      expect('CONSENT_PROOF_SECRET_ARN' in varsOf(name), name).toBe(holds);
      if (holds) expect(JSON.stringify(varsOf(name).CONSENT_PROOF_SECRET_ARN), name).toContain(proofSecretId);
      expect(readsProofSecret(name), name).toBe(holds);
    }
  });

  it('never reaches the public function, by variable or by a readable secret', () => {
    const vars = JSON.stringify(varsOf('apiPublic'));
    expect(vars).not.toContain(proofSecretId);
    expect(vars).not.toContain('CONSENT_PROOF');
    const readable = statementsOf('apiPublic')
      .filter((s) => asList(s.Action).includes('secretsmanager:GetSecretValue'))
      .map((s) => JSON.stringify(s.Resource));
    expect(readable).toHaveLength(1);
    expect(readable[0]).toContain(sharedSecretId);
  });
});
