import type { Browser } from 'playwright-core';

export declare const chromiumArgs: readonly string[];
export declare function findChromium(): string;
export declare function launchChromium(options?: { headless?: boolean }): Promise<Browser>;
