// Layer names, as LANGUAGE.md defines them: the `as` name; else the binding's name when the
// binding holds exactly one layer with parameters (that layer only); else `binding.opN`,
// counting that op within the binding.
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { duplicateLayerName } from "../diagnostics/names.js";
import type { NamingSlot } from "./state.js";

/** One name per slot, in slot order; reports names used twice. */
export function nameLayers(slots: readonly NamingSlot[], report: (diagnostic: Diagnostic) => void): string[] {
  const single = singleParamSlots(slots);
  // position among the binding's calls of the same op, named or not, so `as` renames nothing else
  const counts = new Map<string, number>();
  const names = slots.map((slot, index) => {
    const key = `${slot.binding}.${slot.op}`;
    const count = (counts.get(key) ?? 0) + 1;
    counts.set(key, count);
    if (slot.as !== undefined) return slot.as.name;
    return single.get(slot.binding) === index ? slot.binding : `${key}${count}`;
  });
  reportDuplicates(slots, names, report);
  return names;
}

/** For each binding holding exactly one layer with parameters, that layer's slot index. */
function singleParamSlots(slots: readonly NamingSlot[]): Map<string, number> {
  const found = new Map<string, number | null>();
  slots.forEach((slot, index) => {
    if (slot.hasParams) found.set(slot.binding, found.has(slot.binding) ? null : index);
  });
  const single = new Map<string, number>();
  for (const [binding, index] of found) if (index !== null) single.set(binding, index);
  return single;
}

function reportDuplicates(slots: readonly NamingSlot[], names: readonly string[], report: (diagnostic: Diagnostic) => void): void {
  const first = new Map<string, number>();
  names.forEach((name, index) => {
    const earlier = first.get(name);
    if (earlier === undefined) return void first.set(name, index);
    const later = slots[index]!;
    const before = slots[earlier]!;
    // point at the `as` that caused the clash; only `as` names can clash
    const at = later.as?.span ?? before.as?.span ?? later.span;
    const other = at === later.as?.span ? before.span : later.span;
    report(duplicateLayerName(at, name, other));
  });
}
