import { jest } from '@jest/globals';

// A browser spec walks through whole screens with a server and Chromium behind it;
// each wait inside it is short (see matchers.ts), so a failure still shows in seconds.
// Under CI the waits are longer (a busy machine stalls the renderer), and so is a spec's limit.
jest.setTimeout(process.env.CI ? 120_000 : 60_000);
