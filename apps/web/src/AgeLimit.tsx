import { AppLink } from '@drop/web-common/routing';
import type { ReactNode } from 'react';
import { useI18n } from './i18n.ts';
import { BackIcon, CheckIcon, InfoIcon } from './icons.tsx';

/**
 * `/age-limit`: where the BankID callback sends a person under 18. Nothing was created for them
 * (the server keeps only an audit event with the reason and the age), so the page says so and
 * says when they are welcome; `?account=1` for someone who signed up before the rule.
 */
export function AgeLimit(): ReactNode {
  const { t } = useI18n();
  const copy = t.ageLimit;
  // `?account=1`: signed up before the age rule, so an account exists (closed to them until 18).
  const hasAccount = new URLSearchParams(window.location.search).has('account');
  const points = hasAccount ? [copy.accountPoint, ...copy.points.slice(1)] : copy.points;
  return (
    <section className="section age-limit" aria-labelledby="age-limit-title" data-testid="age-limit">
      <div className="container age-limit-inner">
        <span className="age-limit-icon" aria-hidden="true">
          <InfoIcon />
        </span>
        <p className="eyebrow">{copy.eyebrow}</p>
        <h1 id="age-limit-title">{copy.title}</h1>
        <p className="page-lead" data-testid="age-limit-lead">
          {copy.lead}
        </p>
        <ul className="age-limit-points">
          {points.map((point) => (
            <li key={point}>
              <span className="age-limit-tick" aria-hidden="true">
                <CheckIcon />
              </span>
              <span>{point}</span>
            </li>
          ))}
        </ul>
        <p className="age-limit-why">{copy.why}</p>
        <AppLink to="/" className="button button-primary" testId="age-limit-back">
          <BackIcon />
          {copy.back}
        </AppLink>
      </div>
    </section>
  );
}
