/**
 * 我的办件: the one route shape of the citizen's own lists (withdrawals, transfers, loan
 * applications): a page of the person's applications in every centre, each listed with what its
 * item adds.
 */
import { applicationsOfPerson, listedApplication } from '../applications/person-applications.js';
import type { ApplicationBase, PersonList } from '../applications/records.js';
import { personKey } from '../identity/person-key.js';
import { pageLimit } from './cursor.js';
import { PersonListQuery } from './fields.js';
import { httpHandler } from './handler.js';

export function personListHandler<A extends ApplicationBase>(
  list: PersonList,
  member: string,
  view: (application: A) => Record<string, unknown>,
) {
  return httpHandler({
    role: 'citizen',
    query: PersonListQuery,
    handle: async ({ query, caller }) => {
      const page = await applicationsOfPerson<A>(await personKey(caller.idNumber), list, {
        limit: pageLimit(query.limit),
        cursor: query.cursor,
      });
      const now = new Date();
      return {
        status: 200,
        body: {
          [member]: page.applications.map((application) => ({
            ...listedApplication(application, now),
            ...view(application),
          })),
          nextCursor: page.nextCursor,
        },
      };
    },
  });
}
