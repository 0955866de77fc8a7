// Where the signed-in user may change partner data (partner.write), so that a
// page offers only the buttons the server would accept. Staff see the
// organisations of their scope and those registered above it (the street's
// teams serve every community); only the former are theirs to change. The
// server has the last word: this only hides what it would refuse.
import { get } from '../../../api.js';
import { useLoad } from '../../../composables/useLoad.js';
import { useSession } from '../../../session.js';

// Returns { mayWrite(placeId) }: false until the user's places are known, and
// for a place above every place where the user holds partner.write.
export function useWriteScope() {
  const session = useSession();
  const writing = new Set(session.roles.filter((r) => r.permissions.includes('partner.write')).map((r) => r.name));
  const held = useLoad(
    async () => (session.can('partner.write') ? (await get('/api/places/mine', null, { quiet: true })).items.filter((m) => writing.has(m.role)) : []),
    { initial: [], quiet: true },
  );
  // A visible place is in one's scope unless it is an ancestor of the role's place.
  const mayWrite = (placeId) => held.data.some((m) => !m.ancestors.some((a) => a.id === placeId));
  return { mayWrite };
}
