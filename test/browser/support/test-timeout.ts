import { jest } from '@jest/globals';

// A browser spec walks through whole screens with a server and Chromium behind it;
// each wait inside it is short (see browser.ts), so a failure still shows in seconds.
jest.setTimeout(60_000);
