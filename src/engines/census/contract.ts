/**
 * The JSON contract of `eduatlas census solve FILE`: the registers of one school year (and, for the
 * flows, of the year before) in, validated with zod. A pupil entry is one register record, or a group
 * of identical records with `count` (what `GROUP BY` over the register's columns gives), so the store
 * can collapse 1.5 million records in SQL and hand the engine the same data in fewer rows.
 */
import { z } from 'zod';
import { parseContract } from '../../domain/contract.ts';
import { GRADES, OWNERSHIPS, SCHOOL_TYPES } from '../../domain/stages.ts';
import { SUBJECT_KEYS } from '../../domain/subjects.ts';

/** 0/1 as the store keeps flags, or true/false. */
const flag = z.union([z.boolean(), z.literal(0), z.literal(1)]).transform((v) => v === true || v === 1);
const id = z.number().int();

/** Where a disabled pupil on the roll is taught (安置方式); `not_enrolled` exists only in the disabled-children register. */
export const PUPIL_PLACEMENTS = [
  'regular_class',
  'special_class',
  'special_school',
  'home_teaching',
] as const;
export type PupilPlacement = (typeof PUPIL_PLACEMENTS)[number];

export const registrySchoolSchema = z.object({
  id,
  /** 学校标识码, used in error messages. */
  code: z.string().optional(),
  county_code: z.string(),
  school_type: z.enum(SCHOOL_TYPES),
  ownership: z.enum(OWNERSHIPS),
});

export const pupilSchema = z.object({
  school_id: id,
  /** 学籍号; needed (with count 1) when the previous year's register is given, to follow each pupil. */
  student_no: z.string().min(1).optional(),
  id_number: z.string().nullable().optional(),
  grade: z.enum(GRADES),
  class_no: z.number().int().positive().nullable().default(null),
  sex: z.enum(['M', 'F']),
  migrant: flag.default(false),
  /** 政府购买学位; absent when the register has no such field (then migrant_purchased is not derivable). */
  purchased_place: flag.optional(),
  left_behind: flag.default(false),
  disabled: flag.default(false),
  /** For a disabled pupil; absent or null when the register does not say (then disabled_* are not derivable). */
  disabled_placement: z.enum(PUPIL_PLACEMENTS).nullable().optional(),
  boarder: flag.default(false),
  after_school: flag.default(false),
  /** Identical records this entry stands for. */
  count: z.number().int().positive().default(1),
});

export const previousPupilSchema = z.object({
  school_id: id,
  student_no: z.string().min(1),
  id_number: z.string().nullable().optional(),
  grade: z.enum(GRADES),
});

export const teacherSchema = z.object({
  school_id: id,
  subject: z.enum(SUBJECT_KEYS as [string, ...string[]]),
  full_time: flag.default(true),
  count: z.number().int().positive().default(1),
});

export const deriveInputSchema = z.object({
  /** Census year Y: the registers as of autumn Y. */
  year: z.number().int(),
  /** The registry: every school a register row names must be here. */
  schools: z.array(registrySchoolSchema),
  /** The pupil register of year Y. */
  pupils: z.array(pupilSchema),
  /** The pupil register of year Y − 1, for entrants, transfers and graduates; null or absent without it. */
  previous_pupils: z.array(previousPupilSchema).nullable().optional(),
  /** The teacher register (as of autumn Y); null or absent without it. */
  teachers: z.array(teacherSchema).nullable().optional(),
});

export type DeriveInput = z.input<typeof deriveInputSchema>;
export type ParsedDeriveInput = z.output<typeof deriveInputSchema>;
export type PupilEntry = ParsedDeriveInput['pupils'][number];

/** Validates a registers JSON; the error names the JSON path of the first problem (e.g. `pupils[3].grade`). */
export function parseDeriveInput(json: unknown): ParsedDeriveInput {
  return parseContract(deriveInputSchema, json, { code: 'census.invalid_input' });
}
