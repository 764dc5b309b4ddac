/**
 * Who a privileged caller is in AWS, from the principal ARN that API Gateway's IAM authorizer puts
 * in the request context. Pure: the HTTP layer hands the ARN over and acts on the answer.
 */

// STS names a role session `arn:<partition>:sts::<account>:assumed-role/<role name>/<session>`,
// without the role's path; role names are 1 to 64 of letters, digits and `+=,.@_-`.
const ASSUMED_ROLE = /^arn:aws[a-z-]*:sts::\d{12}:assumed-role\/([\w+=,.@-]{1,64})\/[\w+=,.@-]{2,64}$/;

/** The role name of an assumed-role ARN; `undefined` for an IAM user, the root, or anything else. */
export function assumedRoleName(arn: string | undefined): string | undefined {
  return arn === undefined ? undefined : ASSUMED_ROLE.exec(arn)?.[1];
}

/** An IAM role name as IAM allows it (the deploy setting's entries are checked against it). */
export const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/**
 * Whether a caller with this principal ARN may send transactional mail: only a role session of a
 * role the deployment names. An IAM user's long-lived keys never may, whatever its name.
 */
export function mayUseTransactional(arn: string | undefined, allowedRoles: readonly string[]): boolean {
  const role = assumedRoleName(arn);
  return role !== undefined && allowedRoles.includes(role);
}
