import { killLeftoverPlatformProcesses } from './platform-process.js';

// Whatever a test file's outcome, no server it started outlives it.
afterAll(killLeftoverPlatformProcesses);
