export declare const baseSettings: Readonly<Record<string, unknown>>;

export interface CodeServerOptions {
  readonly logFile: string;
  readonly settings?: Record<string, unknown>;
  readonly env?: NodeJS.ProcessEnv;
  readonly smokeTestDriver?: boolean;
  readonly host?: string;
  readonly port?: number;
  readonly startTimeoutMs?: number;
  readonly vsixes?: readonly string[];
  readonly workspaceTrust?: boolean;
}

export interface CodeServer {
  readonly port: number;
  readonly origin: string;
  readonly stateDir: string;
  readonly extensionsDir: string;
  readonly userDataDir: string;
  logTail(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

export declare function startCodeServer(options: CodeServerOptions): Promise<CodeServer>;

export declare function workbenchUrl(
  server: { readonly origin: string; readonly port: number },
  what: {
    readonly folder?: string;
    readonly extensionDevelopmentPath?: string | readonly string[];
    readonly extensionTestsPath?: string;
    readonly disableExtensions?: boolean;
  },
): string;
