// The user's part of the place hierarchy, shared by the home page and the
// place tree. Asking for a place outside one's scope is refused (and audited),
// so these helpers only ask for places the user's roles cover.
import { get, settled } from '../../api.js';
import { limits } from '../../meta.js';

// The places the user's place-reading roles are held over, outermost only;
// everything the user may read lies under one of them (or in a building that
// a grid of theirs governs).
export async function scopeRoots(session) {
  const placeRoles = new Set(session.roles.filter((r) => r.permissions.includes('place.read')).map((r) => r.name));
  const ids = [...new Set(session.me.roles.filter((r) => placeRoles.has(r.role)).map((r) => r.place_id))];
  const places = (await settled(ids.map((id) => get(`/api/places/${id}`, null, { quiet: true })))).filter(Boolean);
  return places.filter((p) => !places.some((q) => q !== p && p.path.startsWith(q.path)));
}

// The places directly below `place`; under a grid, also the buildings it governs.
export async function childPlaces(place) {
  const own = get('/api/places', { parent_id: place.id, limit: limits.page_max });
  if (place.kind !== 'grid') return (await own).items;
  const buildings = get('/api/places', { kind: 'building', under_id: place.parent_id, limit: limits.page_max });
  const [o, b] = await Promise.all([own, buildings]);
  return [...o.items, ...b.items.filter((x) => x.grid_id === place.id)];
}
