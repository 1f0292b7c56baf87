import { useMutation } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Flex,
  Result,
  Select,
  Space,
  Spin,
  Steps,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { api } from '../api/client.ts';
import { useImportKinds } from '../api/queries.ts';
import type { ImportError, ImportKind, ImportReport } from '../api/types.ts';
import { Icon } from '../components/icons.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { EmptyState, ErrorAlert, Loading } from '../components/states.tsx';
import { useLang } from '../i18n/lang.tsx';

/** How rows are matched, in words, once the API sends it (ImportKind.naturalKeyLabel, proposed). */
function naturalKeyLabel(k: ImportKind): { zh: string; en: string } | null {
  const label = (k as ImportKind & { naturalKeyLabel?: { zh: string; en: string } }).naturalKeyLabel;
  return label?.zh ? label : null;
}

/**
 * Import flow: pick a kind → download its template → upload (a dry run: everything is checked,
 * nothing written) → read the row-by-row problems or confirm → done with the counts.
 */
export default function ImportsPage() {
  const { t, pick, lang } = useLang();
  const kinds = useImportKinds();
  const [kind, setKind] = useState<string>();
  const [fileName, setFileName] = useState<string>();

  const check = useMutation({
    mutationFn: (file: File) => {
      const form = new FormData();
      form.append('file', file, file.name);
      return api.upload<ImportReport>(`/api/imports/${encodeURIComponent(kind ?? '')}`, form);
    },
  });
  const confirm = useMutation({
    mutationFn: (uploadId: string) =>
      api.post<ImportReport>(`/api/imports/uploads/${encodeURIComponent(uploadId)}/confirm`),
  });

  const dry = check.data;
  const done = confirm.data;
  const current = !kind ? 0 : done ? 4 : dry ? 2 : 1;
  const selected = kinds.data?.find((k) => k.kind === kind);

  const restart = () => {
    check.reset();
    confirm.reset();
    setFileName(undefined);
  };

  const uploader = (
    <Upload.Dragger
      accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
      multiple={false}
      showUploadList={false}
      disabled={check.isPending || confirm.isPending}
      beforeUpload={(file) => {
        confirm.reset();
        setFileName(file.name);
        check.mutate(file);
        return Upload.LIST_IGNORE;
      }}
      data-testid="import-upload"
    >
      <p style={{ fontSize: 32, color: '#1f6feb', margin: '4px 0' }}>
        <Icon name="upload" />
      </p>
      <p style={{ fontSize: 15 }}>{dry && !dry.ok ? t('imports.reupload') : t('imports.drop')}</p>
      <Typography.Text type="secondary">{t('imports.dropHint')}</Typography.Text>
    </Upload.Dragger>
  );

  return (
    <>
      <PageHeader title={t('imports.title')} />
      <Card style={{ marginBottom: 16 }}>
        <Steps
          current={current}
          size="small"
          responsive
          items={[
            { title: t('imports.step.kind') },
            { title: t('imports.step.upload') },
            { title: t('imports.step.check'), status: dry && !dry.ok && !done ? 'error' : undefined },
            { title: t('imports.step.done') },
          ]}
        />
      </Card>
      <Card title={t('imports.step.kind')} style={{ marginBottom: 16 }}>
        {kinds.isPending ? (
          <Loading rows={2} />
        ) : kinds.error ? (
          <ErrorAlert error={kinds.error} onRetry={() => void kinds.refetch()} />
        ) : kinds.data.length === 0 ? (
          <EmptyState description={t('imports.noKinds')} />
        ) : (
          <Flex vertical gap={12}>
            <Flex wrap gap={12} align="center">
              <Select
                placeholder={t('imports.kindPlaceholder')}
                showSearch={{ optionFilterProp: 'label' }}
                value={kind}
                onChange={(k) => {
                  setKind(k);
                  restart();
                }}
                options={kinds.data.map((k) => ({ value: k.kind, label: pick(k.title) }))}
                style={{ width: 260, maxWidth: '100%' }}
                aria-label={t('imports.kind')}
                data-testid="import-kind"
              />
              {kind && (
                <Button
                  href={`/api/imports/${encodeURIComponent(kind)}/template?format=xlsx&lang=${lang}`}
                  download
                  icon={<Icon name="download" />}
                  data-testid="import-template"
                >
                  {t('imports.template')}
                </Button>
              )}
            </Flex>
            {selected && naturalKeyLabel(selected) && (
              <Typography.Text type="secondary">
                {t('imports.naturalKey', { key: pick(naturalKeyLabel(selected)!) })}
              </Typography.Text>
            )}
            <Typography.Text type="secondary">{t('imports.templateHint')}</Typography.Text>
          </Flex>
        )}
      </Card>

      {kind && !done && (
        <Card title={t('imports.step.upload')} style={{ marginBottom: 16 }}>
          <Spin spinning={check.isPending} description={t('imports.checking')}>
            {uploader}
          </Spin>
          {fileName && (
            <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
              {fileName}
            </Typography.Paragraph>
          )}
          {check.error && <ErrorAlert error={check.error} />}
        </Card>
      )}

      {dry && !done && (
        <Card title={t('imports.step.check')} data-testid="import-report">
          {dry.ok ? (
            <Flex vertical gap={12} align="flex-start">
              <Alert
                type="success"
                showIcon
                title={t('imports.checkOk', { rows: dry.rows, inserted: dry.inserted, updated: dry.updated })}
                style={{ width: '100%' }}
              />
              {confirm.error && <ErrorAlert error={confirm.error} />}
              <Button
                type="primary"
                loading={confirm.isPending}
                disabled={!dry.uploadId}
                onClick={() => dry.uploadId && confirm.mutate(dry.uploadId)}
                data-testid="import-confirm"
              >
                {confirm.isPending ? t('imports.confirming') : t('imports.confirm')}
              </Button>
            </Flex>
          ) : (
            <ErrorReport report={dry} />
          )}
        </Card>
      )}

      {done && (
        <Card data-testid="import-done">
          <Result
            status="success"
            title={t('imports.done')}
            subTitle={t('imports.doneDetail', {
              rows: done.rows,
              inserted: done.inserted,
              updated: done.updated,
            })}
            extra={
              <Button type="primary" onClick={restart}>
                {t('imports.another')}
              </Button>
            }
          />
        </Card>
      )}
    </>
  );
}

function ErrorReport({ report }: { report: ImportReport }) {
  const { t, lang } = useLang();
  return (
    <Flex vertical gap={12}>
      <Alert
        type="error"
        showIcon
        title={
          <>
            {t('imports.errorsFound', { n: report.errorCount })}
            {report.errorCount > report.errors.length &&
              ` ${t('imports.errorsShown', { n: report.errors.length })}`}
          </>
        }
        data-testid="import-errors-summary"
      />
      {report.uploadId && (
        <Space>
          <Button
            href={`/api/imports/uploads/${encodeURIComponent(report.uploadId)}/errors.xlsx?lang=${lang}`}
            download
            icon={<Icon name="download" />}
            data-testid="import-error-workbook"
          >
            {t('imports.errorWorkbook')}
          </Button>
        </Space>
      )}
      <Table<ImportError & { key: number }>
        size="small"
        dataSource={report.errors.map((e, key) => ({ ...e, key }))}
        pagination={report.errors.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        scroll={{ x: true }}
        columns={[
          { title: t('imports.row'), dataIndex: 'row', width: 80, align: 'right' },
          {
            title: t('imports.column'),
            dataIndex: 'column',
            width: 160,
            render: (c: string) => (c ? <Tag>{c}</Tag> : '—'),
          },
          {
            title: t('imports.value'),
            dataIndex: 'value',
            width: 160,
            render: (v: string | null) => (v ? <Typography.Text code>{v}</Typography.Text> : '—'),
          },
          { title: t('imports.message'), dataIndex: 'message' },
        ]}
        data-testid="import-errors"
      />
    </Flex>
  );
}
