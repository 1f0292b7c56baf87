/**
 * Import and export of the registry's tables (CSV and XLSX). The functions here are the module's
 * public surface: the CLI uses them, and so will the web upload and download routes.
 */
export { EXPORT_TABLES, type ExportOptions, type ExportResult, exportTable } from './export.ts';
export {
  type ImportIssue,
  type ImportOptions,
  type ImportProgress,
  type ImportResult,
  importFile,
} from './import.ts';
export { findKind, getKind, KIND_NAMES, KINDS } from './kinds/index.ts';
export type { FileFormat, ImportInput } from './read/source.ts';
export { formatIssue, writeErrorReport } from './report.ts';
export type { ColumnSpec, ImportKind, KindName } from './spec.ts';
export { writeTemplate } from './template.ts';
export type { Output } from './write/table-writer.ts';
