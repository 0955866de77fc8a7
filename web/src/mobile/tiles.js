// The home page's entry tiles. Each module adds its own tile here: `to` is its
// page; a tile without one is shown as coming soon.
export const tiles = [
  { key: 'household', icon: 'home-o', to: '/household' },
  { key: 'report', icon: 'photograph', to: '/report' },
  { key: 'points', icon: 'gold-coin-o', to: '/points' },
  { key: 'activities', icon: 'flag-o' },
  { key: 'wishes', icon: 'gift-o' },
  { key: 'notices', icon: 'volume-o' },
  { key: 'councils', icon: 'friends-o' },
  { key: 'services', icon: 'service-o' },
];
