import { AML_RULE_PARAMS, type AmlRule, type AmlRuleChange, amlRuleChange, isAmlRuleCode } from '@drop/contracts';
import { type Db, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../../audit/record-audit-event.ts';
import { DomainError } from '../../errors.ts';
import { AML_RULE_COLUMNS } from './list-aml-rules.ts';

/**
 * Changes one rule: parameters (merged into the current ones and checked whole against the
 * rule's schema), severity, action, enabled. In one transaction: the row is updated (its trigger
 * keeps the old version in aml_rule_versions and bumps the version; the row audit trigger records
 * the before and after images) and an `aml_rule_changed` event names the actor and the reason.
 * A change that changes nothing is refused, so every version is a real change.
 */
export async function updateAmlRule(db: Db, input: { code: string; change: AmlRuleChange; actor: string }): Promise<AmlRule> {
  const parsed = amlRuleChange.safeParse(input.change);
  if (!parsed.success) {
    throw new DomainError('VALIDATION_FAILED', 'The rule change is not valid.', {
      errors: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  const change = parsed.data;
  if (!isAmlRuleCode(input.code)) throw new DomainError('NOT_FOUND', `No AML rule ${input.code}.`);
  const code = input.code;
  return withTransaction(db, async (tx) => {
    const { rows } = await tx.query<AmlRule>(`SELECT ${AML_RULE_COLUMNS} FROM aml_rules WHERE code = $1 FOR UPDATE`, [code]);
    const current = rows[0];
    if (!current) throw new DomainError('NOT_FOUND', `No AML rule ${code}.`);
    const merged = { ...current.params, ...(change.params ?? {}) };
    const params = AML_RULE_PARAMS[code].safeParse(merged);
    if (!params.success) {
      throw new DomainError('VALIDATION_FAILED', `The parameters of ${code} are not valid.`, {
        errors: params.error.issues.map((issue) => ({ path: ['params', ...issue.path].join('.'), message: issue.message })),
      });
    }
    const next = {
      params: params.data as Record<string, unknown>,
      severity: change.severity ?? current.severity,
      action: change.action ?? current.action,
      enabled: change.enabled ?? current.enabled,
    };
    if (
      JSON.stringify(sortKeys(next.params)) === JSON.stringify(sortKeys(current.params)) &&
      next.severity === current.severity &&
      next.action === current.action &&
      next.enabled === current.enabled
    ) {
      throw new DomainError('CONFLICT', `Rule ${code} already has these settings.`);
    }
    await tx.query(`SELECT set_config('drop.actor', $1, true), set_config('drop.reason', $2, true)`, [input.actor, change.reason]);
    const updated = await tx.query<AmlRule>(
      `UPDATE aml_rules SET params = $2::jsonb, severity = $3, action = $4, enabled = $5, updated_by = $6, update_reason = $7
        WHERE code = $1 RETURNING ${AML_RULE_COLUMNS}`,
      [code, JSON.stringify(next.params), next.severity, next.action, next.enabled, input.actor, change.reason],
    );
    const rule = updated.rows[0] as AmlRule;
    await recordAuditEvent(tx, {
      action: 'aml_rule_changed',
      resourceType: 'aml_rule',
      resourceId: code,
      actor: input.actor,
      details: {
        reason: change.reason,
        fromVersion: current.version,
        toVersion: rule.version,
        before: { params: current.params, severity: current.severity, action: current.action, enabled: current.enabled },
        after: { params: rule.params, severity: rule.severity, action: rule.action, enabled: rule.enabled },
      },
    });
    return rule;
  });
}

function sortKeys(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)));
}
