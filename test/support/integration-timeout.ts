import { jest } from '@jest/globals';

// Redelivery and dead-lettering take real seconds on the emulators.
jest.setTimeout(60_000);
