import type { TestProject } from 'vitest/node';
import { checkJava, freePort, startDynamoDbLocal, startLocalSes } from '../../bin/local/processes';

/**
 * One DynamoDB Local (in memory) and one local SES for the whole run, on free ports, so that the
 * suite runs beside a local stack or another suite. Test files each make their own table.
 */
export default async function setup(project: TestProject) {
  checkJava();
  const [dynamoPort, sesPort] = [await freePort(), await freePort()];
  const [dynamo, ses] = await Promise.all([startDynamoDbLocal({ port: dynamoPort }), startLocalSes({ port: sesPort })]);
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('sesEndpoint', ses.endpoint);
  return async () => {
    await Promise.all([dynamo.stop(), ses.stop()]);
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    sesEndpoint: string;
  }
}
