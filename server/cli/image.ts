import type { Command } from 'commander';

/** Placeholder until the image-scan command lands (issue 8). */
export function registerImageCommand(_program: Command): void {}
