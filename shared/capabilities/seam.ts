/**
 * Where the local capability guard (./guard.ts) plugs into the shared clients. Deployed bundles
 * carry only this seam: in AWS, IAM is the guard and nothing installs one, so a bundle never
 * imports the declaration the guard reads queue names from (issue 17, cold import). The local
 * region and the tests import ./guard.ts, which installs itself on import; `runAsFunction` lives
 * there, so no call can run as a declared function without the guard installed.
 */
import type { Call } from '../services/capabilities.js';

type Input = Record<string, unknown>;

export interface CallGuard {
  /** Checks a command a shared client is about to send, as marshalled. */
  command(service: 'dynamodb' | 'sqs', commandName: string, input: Input): void;
  /** Checks a call made outside those clients (a secret, a bank-account key). */
  call(call: Call): void;
}

let installed: CallGuard | undefined;

export function installCallGuard(guard: CallGuard): void {
  installed = guard;
}

/** Throws if the installed guard refuses `call`; nothing without one. */
export function checkCall(call: Call): void {
  installed?.call(call);
}

type Next = (args: { input: Input }) => Promise<unknown>;
/** The part of an AWS SDK v3 client this needs (its build step sees the marshalled input). */
interface MiddlewareClient {
  middlewareStack: object;
}

/**
 * Checks every command a client sends (the shared DynamoDB and SQS clients), after the document
 * client has marshalled it, with the guard installed when it is sent.
 */
export function guardClient(client: MiddlewareClient, service: 'dynamodb' | 'sqs'): void {
  const stack = client.middlewareStack as {
    add(middleware: unknown, options: { step: 'build'; name: string }): void;
  };
  stack.add(
    (next: Next, context: { commandName?: string }) => async (args: { input: Input }) => {
      installed?.command(service, context.commandName ?? 'UnknownCommand', args.input);
      return next(args);
    },
    { step: 'build', name: 'hpfCapabilityGuard' },
  );
}
