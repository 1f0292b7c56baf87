/**
 * A child as every list, export and public page of admissions shows it: the application number, the
 * name with the family name only (张**) and the ID number with its region and last four
 * (src/domain/privacy.ts). The one place that decides it.
 */
import { maskIdNumber, maskName } from '../domain/privacy.ts';
import { applicationNo } from './applications.ts';

export function maskedChild(applicationId: number, childName: string, idNumber: string) {
  return {
    applicationNo: applicationNo(applicationId),
    childName: maskName(childName) ?? '',
    idNumber: maskIdNumber(idNumber) ?? '',
  };
}
