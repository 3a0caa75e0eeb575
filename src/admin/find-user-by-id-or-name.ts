import type { User } from '../storage/user.js';
import type { AdminContext } from './admin-context.js';

/** The admin API names users by id (`usr_…`) or name, wherever a user is expected; the id wins. */
export async function findUserByIdOrName(context: AdminContext, idOrName: string): Promise<User | undefined> {
  return (await context.storage.users.findById(idOrName)) ?? (await context.storage.users.findByName(idOrName));
}
