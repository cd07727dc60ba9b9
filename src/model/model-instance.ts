/**
 * The base class of every generated model class. Data lives in the
 * instance's own enumerable properties; behaviour comes from the prototype
 * (this class, the generated class and its mixin methods). Which model or
 * facet an instance belongs to is kept in a WeakMap, never on the instance,
 * so no record can forge or read it and copies of the data never carry it.
 */
import { PerstoreError, type ValidationIssue } from "../errors/index.js";
import { copyRecord } from "../store/copy.js";

/** The outcome of `instance.validate()`: every issue, each with its JSON pointer. */
export interface ValidationResult {
  readonly valid: boolean;
  readonly errors: readonly ValidationIssue[];
}

/** What a model (or facet) does for the instances it hands out. Internal. */
export interface InstanceBinding {
  link(instance: AnyInstance, rel: string): Promise<unknown>;
  save(instance: AnyInstance): Promise<AnyInstance>;
  delete(instance: AnyInstance): Promise<boolean>;
  validate(instance: AnyInstance): ValidationResult;
}

/** Any model instance, whatever its data type. */
export type AnyInstance = ModelInstance<any>;

const bindings = new WeakMap<object, InstanceBinding>();

/** Attach an instance to the model or facet that produced it. Internal to the runtime. */
export function bindInstance(instance: AnyInstance, binding: InstanceBinding): void {
  bindings.set(instance, binding);
}

function bindingOf(instance: AnyInstance): InstanceBinding {
  const binding = bindings.get(instance);
  if (!binding) {
    throw new PerstoreError(
      "MODEL_UNBOUND",
      "this instance does not belong to a model; get it from Model.get/query/create",
    );
  }
  return binding;
}

/**
 * Base class of generated model classes.
 *
 * @example
 * ```ts
 * export interface Person extends PersonData {}
 * export class Person extends ModelInstance<PersonData> {
 *   employer(): Promise<Company | undefined> { return this.$link("employer") as Promise<Company | undefined>; }
 * }
 * const p = await models.Person.get("p1");
 * p.name = "Ada"; await p.save();
 * ```
 */
export class ModelInstance<TData extends object = Record<string, unknown>> {
  /**
   * Follow the schema link `rel`: the target instance (or `undefined`) for a
   * to-one link, an array of instances for a to-many link.
   */
  $link(rel: string): Promise<unknown> {
    return bindingOf(this).link(this, rel);
  }

  /** Validate and store this instance (full replace); resolves to this instance, updated from the store. */
  save(): Promise<this> {
    return bindingOf(this).save(this) as Promise<this>;
  }

  /** Delete this instance's record; resolves to whether it existed. */
  delete(): Promise<boolean> {
    return bindingOf(this).delete(this);
  }

  /** Check this instance against its schema without writing anything. */
  validate(): ValidationResult {
    return bindingOf(this).validate(this);
  }

  /** The instance's data as a plain copy (what `JSON.stringify` writes). */
  toJSON(): TData {
    return copyRecord({ ...this }) as unknown as TData;
  }
}
