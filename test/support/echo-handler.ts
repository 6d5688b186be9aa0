/**
 * A test-only HTTP handler: answers 200 with the event and a summary of the Lambda context, so a
 * test can see exactly what the local gateway delivers. `?mode=` changes its answer:
 *   throw        throws (the gateway answers 500)
 *   string       returns a bare string (payload 2.0 infers a 200 application/json)
 *   object       returns an object without statusCode (likewise)
 *   cookies      returns two cookies and a CORS header the gateway must drop
 *   binary       returns bytes, base64-encoded
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';

export const handler = async (event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context) => {
  switch (event.queryStringParameters?.mode) {
    case 'throw':
      throw new Error('echo handler asked to throw');
    case 'string':
      return 'hello from the echo handler';
    case 'object':
      return { hello: 'echo' };
    case 'cookies':
      return {
        statusCode: 201,
        headers: { 'content-type': 'text/plain', 'access-control-allow-origin': '*', 'x-echo': 'yes' },
        cookies: ['a=1; Path=/', 'b=2; Path=/; HttpOnly'],
        body: 'cookies set',
      };
    case 'binary':
      return {
        statusCode: 200,
        headers: { 'content-type': 'application/octet-stream' },
        isBase64Encoded: true,
        body: Buffer.from([0, 1, 2, 253, 254, 255]).toString('base64'),
      };
  }
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      event,
      context: {
        functionName: context.functionName,
        awsRequestId: context.awsRequestId,
        memoryLimitInMB: context.memoryLimitInMB,
        invokedFunctionArn: context.invokedFunctionArn,
        remainingMs: context.getRemainingTimeInMillis(),
      },
    }),
  };
};
