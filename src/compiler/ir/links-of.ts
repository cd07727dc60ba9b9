/**
 * A model's `links`: `Model/{property}` (forward, to the target's primary key)
 * and `Model?targetProperty={property}` (reverse, always many).
 */
import type { Diagnostics } from "../load/diagnostics.js";
import type { ModelSource } from "./model-sources.js";
import type { LinkIR, PropertyIR } from "./types.js";

const FORWARD = /^([A-Za-z_$][\w$]*)\/\{([^{}/]+)\}$/;
const REVERSE = /^([A-Za-z_$][\w$]*)\?([^=&{}]+)=\{([^{}]+)\}$/;

/**
 * The links `m` declares, checked against the models' properties. A link that
 * does not check is left out; with `diagnostics` undefined (a base's links,
 * already reported on the base) it is left out silently.
 */
export function linksOf(
  m: ModelSource,
  propertiesByModel: ReadonlyMap<string, readonly PropertyIR[]>,
  primaryKeyOf: (name: string) => string,
  diagnostics: Diagnostics | undefined,
): LinkIR[] {
  const declared = m.normalized["links"];
  if (!Array.isArray(declared)) return [];
  const local = propertiesByModel.get(m.name) ?? [];
  const out: LinkIR[] = [];
  declared.forEach((link: { rel?: unknown; href?: unknown }, i) => {
    if (typeof link?.rel !== "string" || typeof link.href !== "string") return;
    const at = `/links/${i}/href`;
    const forward = FORWARD.exec(link.href);
    const reverse = forward ? null : REVERSE.exec(link.href);
    if (!forward && !reverse) {
      diagnostics?.error(
        "SCHEMA_BAD_LINK",
        `link href ${JSON.stringify(link.href)} is neither "Model/{property}" nor "Model?property={property}"`,
        m.file,
        at,
      );
      return;
    }
    const target = (forward ?? reverse)![1]!;
    const targetProps = propertiesByModel.get(target);
    if (!targetProps) {
      diagnostics?.error(
        "SCHEMA_UNKNOWN_LINK_TARGET",
        `link ${link.rel} targets unknown model ${target}`,
        m.file,
        at,
      );
      return;
    }
    const property = forward ? forward[2]! : reverse![3]!;
    const targetProperty = forward ? primaryKeyOf(target) : reverse![2]!;
    const localProp = local.find((p) => p.name === property);
    let ok = true;
    if (!localProp) {
      diagnostics?.error(
        "SCHEMA_UNKNOWN_LINK_PROPERTY",
        `link ${link.rel}: ${property} is not a property of ${m.name}`,
        m.file,
        at,
      );
      ok = false;
    }
    if (!targetProps.some((p) => p.name === targetProperty)) {
      diagnostics?.error(
        "SCHEMA_UNKNOWN_LINK_PROPERTY",
        `link ${link.rel}: ${targetProperty} is not a property of ${target}`,
        m.file,
        at,
      );
      ok = false;
    }
    if (ok)
      out.push({
        rel: link.rel,
        href: link.href,
        target,
        property,
        targetProperty,
        many: reverse !== null || localProp?.type === "array",
      });
  });
  return out;
}
