/**
 * The census's count columns (基础教育统计的计数项), in the order templates and exports show them: one
 * list for the store's table, the imports, the demo and the census engine.
 */
export const CENSUS_COUNT_COLUMNS = [
  'pupils_male',
  'pupils_female',
  'migrant',
  'migrant_purchased',
  'disabled_regular_class',
  'disabled_special_class',
  'disabled_special_school',
  'disabled_home_teaching',
  'left_behind',
  'boarders',
  'after_school',
  'entrants',
  'transfers_in',
  'transfers_out',
  'graduates',
] as const;
export type CensusCountColumn = (typeof CENSUS_COUNT_COLUMNS)[number];
