/** The public pages a customer looks for before trusting Drop: the terms, the privacy notice and how to reach us. */
import { fetchCompany } from '@drop/web-common';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { BackLink, PageHead } from './card.tsx';
import { useI18n } from './i18n.ts';
import { ArrowIcon } from './icons.tsx';

/** Drop's company details and customer service address, from the server's configuration. */
function useCompany() {
  return useQuery({
    queryKey: ['company'],
    queryFn: async ({ signal }) => {
      const result = await fetchCompany(signal);
      if (result.kind !== 'ok') throw new Error('company details unavailable');
      return result.data;
    },
    staleTime: 5 * 60_000,
  });
}

function EmailLink(props: { email: string }): ReactNode {
  return (
    <a href={`mailto:${props.email}`} data-testid="support-email">
      {props.email}
    </a>
  );
}

/** "Who we are": the company, its organisation number and address, and where to write. */
function CompanyCard(): ReactNode {
  const { t } = useI18n();
  const company = useCompany();
  return (
    <section className="card legal-company" aria-labelledby="legal-company-title" data-testid="company-details">
      <h2 id="legal-company-title" className="card-title">
        {t.legal.companyTitle}
      </h2>
      {company.data ? (
        <>
          <p>{t.legal.company(company.data.name, company.data.orgNumber, company.data.address)}</p>
          <p>
            {t.legal.emailUs}
            <EmailLink email={company.data.supportEmail} />.
          </p>
        </>
      ) : (
        <p>{company.isError ? t.legal.companyFailed : t.legal.companyLoading}</p>
      )}
    </section>
  );
}

function Sections(props: { sections: ReadonlyArray<{ title: string; text: readonly string[] }>; testId: string }): ReactNode {
  return (
    <div className="legal-sections" data-testid={props.testId}>
      {props.sections.map((section) => (
        <section key={section.title} className="legal-section">
          <h2>{section.title}</h2>
          {section.text.map((paragraph) => (
            <p key={paragraph}>{paragraph}</p>
          ))}
        </section>
      ))}
    </div>
  );
}

function LegalPage(props: { eyebrow: string; title: string; lead: string; children: ReactNode }): ReactNode {
  const { t } = useI18n();
  return (
    <section className="section legal-page">
      <div className="container legal-container">
        <BackLink to="/" label={t.legal.back} />
        <PageHead eyebrow={props.eyebrow} title={props.title} lead={props.lead} />
        {props.children}
      </div>
    </section>
  );
}

export function Terms(): ReactNode {
  const { t } = useI18n();
  return (
    <LegalPage eyebrow={t.legal.termsEyebrow} title={t.legal.termsTitle} lead={t.legal.termsLead}>
      <Sections sections={t.legal.terms} testId="terms" />
      <CompanyCard />
    </LegalPage>
  );
}

export function PrivacyNotice(): ReactNode {
  const { t } = useI18n();
  return (
    <LegalPage eyebrow={t.legal.privacyEyebrow} title={t.legal.privacyTitle} lead={t.legal.privacyLead}>
      <Sections sections={t.legal.privacy} testId="privacy-notice" />
      <CompanyCard />
    </LegalPage>
  );
}

export function Contact(): ReactNode {
  const { t } = useI18n();
  const company = useCompany();
  return (
    <LegalPage eyebrow={t.legal.contactEyebrow} title={t.legal.contactTitle} lead={t.legal.contactLead}>
      <section className="card legal-contact" aria-labelledby="contact-email-title" data-testid="contact">
        <h2 id="contact-email-title" className="card-title">
          {t.legal.contactEmailTitle}
        </h2>
        <p className="legal-contact-email">
          {company.data ? (
            <EmailLink email={company.data.supportEmail} />
          ) : company.isError ? (
            t.legal.companyFailed
          ) : (
            t.legal.companyLoading
          )}
        </p>
        <p className="field-hint">{t.legal.contactTip}</p>
        <p>{t.legal.contactStatus}</p>
        <a href="/#status" className="button button-ghost">
          {t.legal.contactStatusLink}
          <ArrowIcon />
        </a>
      </section>
      <CompanyCard />
    </LegalPage>
  );
}
