export { createTapKey, findTapKey, listTapKeys, revokeTapKey, type TapKey } from './tap-keys.js';
