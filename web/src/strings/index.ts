// Every user-facing string of the web client, in one catalog: one section per
// part of the client, each in its own file. Screens read `strings.<section>`;
// a translation replaces these objects with the same keys.
import { admin } from './admin';
import { assistants } from './assistants';
import { auth } from './auth';
import { chat } from './chat';
import { common } from './common';
import { composer } from './composer';
import { conversation } from './conversation';
import { onboarding } from './onboarding';
import { settings } from './settings';
import { shortcuts } from './shortcuts';
import { threads } from './threads';
import { tokens } from './tokens';
import { usage } from './usage';

export const strings = {
  admin,
  assistants,
  auth,
  chat,
  common,
  composer,
  conversation,
  onboarding,
  settings,
  shortcuts,
  threads,
  tokens,
  usage,
} as const;

/** Fills `{name}` placeholders of a catalog string. */
export function format(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
