/** The client's API key (ours, not an upstream's) once it has been checked. */
export interface AuthenticatedKey {
  id: string;
  userId: string;
  name: string;
}
