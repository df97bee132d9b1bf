export declare const fixtureWorkspace: string;
export declare function freshWorkspace(source?: string): { dir: string; remove: () => void };
