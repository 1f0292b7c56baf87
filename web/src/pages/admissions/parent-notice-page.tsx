import { Alert, Button, Flex } from 'antd';
import { useEffect } from 'react';
import { Link, useParams } from 'react-router';
import { useMyResult } from '../../api/draw-queries.ts';
import { ErrorAlert, Loading } from '../../components/states.tsx';
import { useLang } from '../../i18n/lang.tsx';
import { RequireParent } from './parent-layout.tsx';
import '../../i18n/messages/admissions-draw.ts';

/** Print layout: A4, only the notice itself; the buttons and the screen's grey page are left out. */
const PRINT_CSS = `
.notice-page { background: #f0f0f0; min-height: 100vh; padding: 16px 8px 48px; }
.notice-sheet { background: #fff; max-width: 720px; margin: 0 auto; padding: 48px 40px;
  border: 1px solid #d9d9d9; font-family: "SimSun", "Songti SC", serif; line-height: 2; color: #000; }
.notice-sheet h1 { text-align: center; font-size: 28px; letter-spacing: 8px; margin: 0 0 4px; }
.notice-sheet h2 { text-align: center; font-size: 16px; font-weight: normal; margin: 0 0 32px; }
.notice-sheet p { font-size: 17px; margin: 0 0 12px; text-indent: 2em; }
.notice-sheet p.greeting { text-indent: 0; }
.notice-sheet .small { font-size: 12px; color: #444; text-indent: 0; word-break: break-all; }
.notice-sheet .issuer { text-align: right; margin-top: 48px; font-size: 17px; }
@media print {
  @page { size: A4; margin: 18mm; }
  body { background: #fff !important; }
  .no-print { display: none !important; }
  .notice-page { background: #fff; padding: 0; }
  .notice-sheet { border: none; max-width: none; padding: 0; }
}
`;

/** /parent/applications/:id/notice: the printable admission notice 录取通知书 of a placed child. */
export default function ParentNoticePage() {
  const { id } = useParams();
  return <RequireParent>{() => <Notice id={Number(id)} />}</RequireParent>;
}

function Notice({ id }: { id: number }) {
  const { t } = useLang();
  const result = useMyResult(id);
  useEffect(() => {
    document.title = `${t('notice.title')} · ${t('app.short')}`;
  }, [t]);
  const back = (
    <Link to={`/parent/applications/${id}`}>
      <Button>{t('notice.back')}</Button>
    </Link>
  );
  if (result.error) return <ErrorAlert error={result.error} />;
  if (!result.data) return <Loading />;
  const r = result.data;
  if (!r.published || !r.placed || !r.school || !r.notice)
    return (
      <Flex vertical gap={12} style={{ maxWidth: 560, margin: '24px auto', padding: 12 }}>
        <Alert type="info" showIcon title={t('notice.none')} />
        {back}
      </Flex>
    );
  const n = r.notice;
  const vars = {
    name: n.childName,
    year: n.year,
    county: n.countyName,
    round: n.roundName,
    school: r.school.name,
    grade: t(n.stage === 'junior' ? 'notice.grade.junior' : 'notice.grade.primary'),
  };
  return (
    <div className="notice-page">
      <style>{PRINT_CSS}</style>
      <Flex gap={8} justify="center" className="no-print" style={{ marginBottom: 12 }}>
        <Button type="primary" onClick={() => window.print()} data-testid="print">
          {t('notice.print')}
        </Button>
        {back}
      </Flex>
      <article className="notice-sheet" data-testid="notice">
        <h1>{t('notice.title')}</h1>
        <h2>{t('notice.heading', { year: n.year })}</h2>
        <p className="greeting">{t('notice.greeting', { name: n.childName })}</p>
        <p data-testid="notice-body">{t('notice.body', vars)}</p>
        {r.school.address && (
          <p>
            {t('notice.address')}：{r.school.address}
          </p>
        )}
        <p>{t('notice.reportOn')}</p>
        <div className="issuer">
          <div>{t('notice.issuer', { county: n.countyName })}</div>
          <div>{t('notice.date', { date: r.noticeOn })}</div>
        </div>
        <p className="small" style={{ marginTop: 32 }}>
          {t('notice.details', {
            no: r.applicationNo,
            by: t(`placedBy.${r.by ?? 'choice'}`),
            key: r.key ?? '',
          })}
        </p>
      </article>
    </div>
  );
}
