import { Alert, Button, Card, Flex, Input, Select, Table, type TableProps, Tag, Typography } from 'antd';
import { useState } from 'react';
import { withQuery } from '../api/client.ts';
import { can, useCurrentUser, useSchoolStudents, useSchoolTeachers } from '../api/queries.ts';
import type { SchoolDetail, SchoolStudents, SchoolTeachers } from '../api/types.ts';
import { Icon } from '../components/icons.tsx';
import { EmptyState, ErrorAlert } from '../components/states.tsx';
import { useLang } from '../i18n/lang.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { GRADE_ORDER, labelOf, optionsOf } from '../labels.ts';
import '../i18n/messages/registers.ts';

type Pupil = SchoolStudents['rows'][number];
type Teacher = SchoolTeachers['rows'][number];

/** Server-side paging, as the antd table reports it; page 1 again whenever a filter changes. */
function usePaging() {
  const { t } = useLang();
  const [paging, setPaging] = useState({ page: 1, pageSize: 50 });
  const pagination = (total: number) => ({
    current: paging.page,
    pageSize: paging.pageSize,
    total,
    showSizeChanger: true,
    pageSizeOptions: [20, 50, 100, 200],
    showTotal: (n: number) => <Typography.Text type="secondary">{t('common.total', { n })}</Typography.Text>,
    onChange: (page: number, pageSize: number) => setPaging({ page, pageSize }),
  });
  return { paging, pagination, firstPage: () => setPaging((p) => ({ ...p, page: 1 })) };
}

/** What the server did with the personal fields of this page: masked, or shown to a role that may see them. */
function MaskNotice({ masked }: { masked: boolean | undefined }) {
  const { t } = useLang();
  if (masked === undefined) return null;
  return (
    <Alert
      type={masked ? 'info' : 'warning'}
      showIcon
      title={t(masked ? 'registers.masked' : 'registers.unmasked')}
      style={{ marginBottom: 12 }}
      data-testid="register-mask-notice"
    />
  );
}

/** 学生名册: the school's pupils, filtered by grade, class or a whole 学籍号, paged on the server. */
export function PupilRegister({ school }: { school: SchoolDetail }) {
  const { t, lang } = useLang();
  const me = useCurrentUser();
  const [grade, setGrade] = useState<string>();
  const [classNo, setClassNo] = useState<number>();
  const [studentNo, setStudentNo] = useState<string>();
  const { paging, pagination, firstPage } = usePaging();
  const filter = { grade, classNo, studentNo };
  const id = String(school.id);
  const { data, error, isPending, isFetching, refetch } = useSchoolStudents(id, { ...filter, ...paging });

  // The school's own grades and classes (capacity and the latest class list), in school order.
  const grades = [...new Set([...school.capacity, ...school.classes.rows].map((r) => r.grade))].sort(
    (a, b) => GRADE_ORDER.indexOf(a) - GRADE_ORDER.indexOf(b),
  );
  const classes = school.classes.rows.filter((c) => c.grade === grade).map((c) => c.classNo);
  const exportHref = withQuery(`/api/schools/${id}/students/export`, { ...filter, lang });

  const columns: TableProps<Pupil & { key: number }>['columns'] = [
    { title: t('registers.studentNo'), dataIndex: 'studentNo', width: 200 },
    { title: t('registers.name'), dataIndex: 'name' },
    { title: t('registers.idNumber'), dataIndex: 'idNumber', render: (v: string | null) => v ?? '—' },
    {
      title: t('registers.sex'),
      dataIndex: 'sex',
      render: (v: string) => (v === 'M' || v === 'F' ? t(`registers.sex.${v}` as MessageKey) : v),
    },
    { title: t('registers.grade'), dataIndex: 'grade', render: (g: string) => labelOf('grade', g, lang) },
    { title: t('registers.classNo'), dataIndex: 'classNo', align: 'right', render: (v) => v ?? '—' },
    {
      title: t('registers.marks'),
      key: 'marks',
      render: (_, p) => (
        <>
          {p.migrant && <Tag>{t('registers.migrant')}</Tag>}
          {p.leftBehind && <Tag color="gold">{t('registers.leftBehind')}</Tag>}
          {p.disabled && <Tag color="purple">{t('registers.disabled')}</Tag>}
        </>
      ),
    },
  ];

  return (
    <Card
      extra={
        can(me, 'export.run') && (
          <Button href={exportHref} download icon={<Icon name="download" />} data-testid="students-export">
            {t('registers.exportMasked')}
          </Button>
        )
      }
      title={t('registers.students')}
      data-testid="pupil-register"
    >
      <Flex wrap gap={8} style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder={t('registers.grade')}
          aria-label={t('registers.grade')}
          value={grade}
          onChange={(v?: string) => {
            setGrade(v);
            setClassNo(undefined);
            firstPage();
          }}
          options={grades.map((g) => ({ value: g, label: labelOf('grade', g, lang) }))}
          style={{ width: 140 }}
          data-testid="students-grade"
        />
        <Select
          allowClear
          disabled={!grade}
          placeholder={t('registers.classNo')}
          aria-label={t('registers.classNo')}
          value={classNo}
          onChange={(v?: number) => {
            setClassNo(v);
            firstPage();
          }}
          options={classes.map((n) => ({ value: n, label: t('registers.classOption', { n }) }))}
          style={{ width: 110 }}
        />
        <Input.Search
          allowClear
          placeholder={t('registers.studentNoSearch')}
          aria-label={t('registers.studentNoSearch')}
          onSearch={(v) => {
            setStudentNo(v.trim() || undefined);
            firstPage();
          }}
          style={{ width: 260 }}
          data-testid="students-search"
        />
      </Flex>
      {error ? (
        <ErrorAlert error={error} onRetry={() => void refetch()} />
      ) : (
        <>
          <MaskNotice masked={data?.masked} />
          <Table<Pupil & { key: number }>
            rowKey="key"
            size="small"
            columns={columns}
            // Masked 学籍号 may coincide: rows are keyed by their place on the page.
            dataSource={(data?.rows ?? []).map((p, key) => ({ ...p, key }))}
            loading={isPending || isFetching}
            scroll={{ x: 800 }}
            locale={{ emptyText: isPending ? ' ' : <EmptyState description={t('registers.noStudents')} /> }}
            pagination={pagination(data?.total ?? 0)}
            data-testid="students-table"
          />
        </>
      )}
    </Card>
  );
}

/** 教师名册: the school's teachers, filtered by subject, paged on the server. */
export function TeacherRegister({ school }: { school: SchoolDetail }) {
  const { t, lang } = useLang();
  const [subject, setSubject] = useState<string>();
  const { paging, pagination, firstPage } = usePaging();
  const { data, error, isPending, isFetching, refetch } = useSchoolTeachers(String(school.id), {
    subject,
    ...paging,
  });
  const yes = (b: boolean) => (b ? t('common.yes') : t('common.no'));
  const columns: TableProps<Teacher>['columns'] = [
    { title: t('registers.teacherNo'), dataIndex: 'teacherNo', width: 140 },
    { title: t('registers.name'), dataIndex: 'name' },
    { title: t('registers.idNumber'), dataIndex: 'idNumber', render: (v: string | null) => v ?? '—' },
    {
      title: t('registers.sex'),
      dataIndex: 'sex',
      render: (v: string) => (v === 'M' || v === 'F' ? t(`registers.sex.${v}` as MessageKey) : v),
    },
    {
      title: t('registers.subject'),
      dataIndex: 'subject',
      render: (v: string) => labelOf('subject', v, lang),
    },
    { title: t('registers.fullTime'), dataIndex: 'fullTime', render: yes },
    { title: t('registers.inEstablishment'), dataIndex: 'inEstablishment', render: yes },
    { title: t('registers.title'), dataIndex: 'title', render: (v: string | null) => v ?? '—' },
    { title: t('registers.hireYear'), dataIndex: 'hireYear', align: 'right', render: (v) => v ?? '—' },
    {
      title: t('registers.schoolSinceYear'),
      dataIndex: 'schoolSinceYear',
      align: 'right',
      render: (v) => v ?? '—',
    },
  ];
  return (
    <Card title={t('registers.teachers')} data-testid="teacher-register">
      <Flex wrap gap={8} style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder={t('registers.subject')}
          aria-label={t('registers.subject')}
          value={subject}
          onChange={(v?: string) => {
            setSubject(v);
            firstPage();
          }}
          options={optionsOf('subject', lang)}
          style={{ width: 170 }}
          data-testid="teachers-subject"
        />
      </Flex>
      {error ? (
        <ErrorAlert error={error} onRetry={() => void refetch()} />
      ) : (
        <>
          <MaskNotice masked={data?.masked} />
          <Table<Teacher>
            rowKey="teacherNo"
            size="small"
            columns={columns}
            dataSource={data?.rows ?? []}
            loading={isPending || isFetching}
            scroll={{ x: 900 }}
            locale={{ emptyText: isPending ? ' ' : <EmptyState description={t('registers.noTeachers')} /> }}
            pagination={pagination(data?.total ?? 0)}
            data-testid="teachers-table"
          />
        </>
      )}
    </Card>
  );
}
