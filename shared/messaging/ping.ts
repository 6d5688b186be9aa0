/** Where a centre records the pong that answers its ping, so the waiting staff request can see it. */
import type { CityCode } from '../config/cities.js';
import { centreKey } from '../persistence/table.js';

export function pongKey(askingCity: CityCode, pingRequestId: string): { PK: string; SK: string } {
  return { PK: centreKey(askingCity, 'PING', pingRequestId), SK: 'PONG' };
}
