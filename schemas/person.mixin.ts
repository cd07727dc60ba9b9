/**
 * Methods mixed into the generated Person class (and its sub-model Employee).
 * `this` is the model instance, typed by the generated class.
 */
import type { Person } from "../generated/person.js";

/** "Ada Lovelace". */
export function fullName(this: Person): string {
  return `${this.firstName} ${this.lastName}`;
}

/** Age in whole years on the given day, or undefined when the birth date is unknown. */
export function ageOn(this: Person, day: Date): number | undefined {
  if (this.birthDate === undefined) return undefined;
  const born = new Date(`${this.birthDate}T00:00:00Z`);
  let age = day.getUTCFullYear() - born.getUTCFullYear();
  const beforeBirthday =
    day.getUTCMonth() < born.getUTCMonth() ||
    (day.getUTCMonth() === born.getUTCMonth() && day.getUTCDate() < born.getUTCDate());
  if (beforeBirthday) age -= 1;
  return age;
}
