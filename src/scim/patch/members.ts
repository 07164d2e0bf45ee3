import { mutability } from '../errors';
import { matchesElement } from '../filter/evaluate';
import { elementsToRemove, memberIdsFromFilter } from '../quirks/entra-member-removal';
import { memberId, readMembers, type MemberInput } from '../resource/input';
import type { ResourceTypeInfo } from '../schema/registry';
import type { OpName } from '../quirks/entra-capitalised-ops';
import type { AttributeTarget } from './target';

// A Group's members live in their own table (docs/storage.md), so PATCH yields a delta of k members
// rather than a rewritten list: a change costs O(k), whatever the group's size (docs/idp-quirks.md Lessons 2).

export interface MembershipDelta {
  /** When set, the group's membership becomes exactly this list (replace on members, or remove of all members). */
  replaceAll?: MemberInput[];
  /** Otherwise: remove these member ids, then add these members (disjoint sets). When replaceAll is set, `add`/`remove` are already folded into it. */
  add: MemberInput[];
  remove: string[];
}

/** Member changes in operation order: remove X then add X leaves X a member, and the reverse not. */
export class MemberLedger {
  private all?: Map<string, MemberInput>;
  private readonly added = new Map<string, MemberInput>();
  private readonly removed = new Set<string>();

  /** `current`: the members before the PATCH, when the caller loaded them (see needsCurrentMembers). */
  constructor(private readonly current?: MemberInput[]) {}

  add(members: MemberInput[]): void {
    for (const m of members) {
      if (this.all) this.all.set(m.value, m);
      else {
        this.removed.delete(m.value);
        this.added.set(m.value, m);
      }
    }
  }

  remove(ids: string[]): void {
    for (const id of ids) {
      if (this.all) this.all.delete(id);
      else {
        this.added.delete(id);
        this.removed.add(id);
      }
    }
  }

  replace(members: MemberInput[]): void {
    this.all = new Map(members.map((m) => [m.value, m]));
    this.added.clear();
    this.removed.clear();
  }

  /** The members as they stand after the operations so far. */
  effective(): MemberInput[] {
    if (this.all) return [...this.all.values()];
    if (!this.current) throw new Error('PATCH filters members by more than their ids: load them (needsCurrentMembers) and pass current.members.');
    const out = new Map(this.current.filter((m) => !this.removed.has(m.value)).map((m) => [m.value, m]));
    for (const m of this.added.values()) out.set(m.value, m);
    return [...out.values()];
  }

  delta(): MembershipDelta {
    if (this.all) return { replaceAll: [...this.all.values()], add: [], remove: [] };
    // With the current members known, adds of members and removes of non-members are dropped, so
    // `changed` is exact; without them the store's inserts and deletes are idempotent anyway.
    const known = this.current && new Set(this.current.map((m) => m.value));
    return {
      add: [...this.added.values()].filter((m) => !known?.has(m.value)),
      remove: [...this.removed].filter((id) => !known || known.has(id)),
    };
  }
}

/** One operation whose target is a Group's `members` (RFC 7644 §3.5.2; examples in §3.5.2.1–3). */
export function applyMembersOp(
  ledger: MemberLedger,
  rt: ResourceTypeInfo,
  t: AttributeTarget,
  op: OpName,
  raw: unknown,
  hasValue: boolean,
): void {
  const def = t.attribute;
  if (t.filter && !t.subAttribute && op === 'remove') {
    // RFC 7644 §3.5.2.2: `members[value eq "…"]`; ids named outright need no read of the group.
    const ids = memberIdsFromFilter(t.filter) ?? ledger.effective().filter((m) => matchesElement(rt, def, m, t.filter!)).map((m) => m.value);
    return ledger.remove(ids);
  }
  if (t.filter || t.subAttribute) {
    // Decision: display is taken from the member resource when the membership is stored, so writes to
    // it are accepted and have no effect; value, type and $ref are immutable (RFC 7643 §8.7.1).
    if (t.subAttribute?.name === 'display') return;
    throw mutability(`'${t.label}': a member's value, type and $ref are immutable; add or remove whole members instead.`);
  }
  switch (op) {
    case 'add':
      // RFC 7644 §3.5.2.1: the listed members are added; ones already there are not duplicated.
      return ledger.add(readMembers(def, raw, t.label));
    case 'replace':
      // RFC 7644 §3.5.2.3: "the attribute and all values are replaced"; null or [] leaves no members.
      return ledger.replace(readMembers(def, raw, t.label));
    case 'remove': {
      // docs/idp-quirks.md Entra 5: a value list removes those members only; without one, all
      // (RFC 7644 §3.5.2.2).
      const listed = hasValue ? elementsToRemove(def, raw, t.label) : undefined;
      if (!listed) return ledger.replace([]);
      return ledger.remove(listed.map((m, i) => memberId(m, `${t.label}[${i}]`)));
    }
    default: {
      const unreachable: never = op;
      return unreachable;
    }
  }
}
