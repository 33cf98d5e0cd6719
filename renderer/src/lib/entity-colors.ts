// The colours live in the contract so the exports (GEXF viz:color, HTML) use the very same ones.
export { ENTITY_COLORS, entityColor } from '../../../preload/contract/entity-colors.ts';
