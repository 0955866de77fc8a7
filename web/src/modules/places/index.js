import { label } from '../../meta.js';

// Places (地点): the hierarchy street → community → grid / compound → building
// → unit → household, searched and browsed on the console.
export default {
  name: 'places',
  console: {
    pages: [
      { path: 'places', name: 'places', component: () => import('./console/Places.vue'), meta: { title: 'menu.places', icon: 'OfficeBuilding', perms: ['place.read'] } },
    ],
    // A kind of place with none in scope (communities, for a grid worker) is left out.
    stats: ['community', 'grid', 'building', 'household'].map((kind) => ({
      key: kind,
      label: () => label('place.kind', kind),
      to: '/places',
      perms: ['place.read'],
      path: '/api/places',
      query: { kind },
      hideZero: true,
    })),
  },
};
