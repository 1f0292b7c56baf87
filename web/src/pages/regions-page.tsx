import { Card, Input, Space, Tag, Tree, Typography } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { type ReactNode, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useRegions } from '../api/queries.ts';
import type { RegionNode } from '../api/types.ts';
import { PageHeader } from '../components/page-header.tsx';
import { EmptyState, ErrorAlert, Loading } from '../components/states.tsx';
import { useLang } from '../i18n/lang.tsx';
import type { MessageKey } from '../i18n/messages.ts';

interface TreeNode {
  region: RegionNode;
  children: TreeNode[];
}

/** The flat list as a forest: a node whose parent is outside the user's scope is a root. */
export function buildRegionTree(regions: readonly RegionNode[]): TreeNode[] {
  const nodes = new Map(regions.map((r) => [r.code, { region: r, children: [] as TreeNode[] }]));
  const roots: TreeNode[] = [];
  for (const n of nodes.values()) {
    const parent = n.region.parentCode ? nodes.get(n.region.parentCode) : undefined;
    (parent ? parent.children : roots).push(n);
  }
  const sort = (list: TreeNode[]) => {
    list.sort((a, b) => a.region.code.localeCompare(b.region.code));
    for (const n of list) sort(n.children);
  };
  sort(roots);
  return roots;
}

export default function RegionsPage() {
  const { t } = useLang();
  const { data, error, isPending, refetch } = useRegions();
  const [search, setSearch] = useState('');
  const forest = useMemo(() => buildRegionTree(data ?? []), [data]);
  const [expanded, setExpanded] = useState<string[] | null>(null);

  const { treeData, matchedKeys, defaultKeys } = useMemo(() => {
    const q = search.trim().toLowerCase();
    // With one or two counties in scope their townships are shown straight away.
    const fewCounties = (data ?? []).filter((r) => r.level === 'county').length <= 2;
    const matched: string[] = [];
    const defaults: string[] = [];
    const title = (r: RegionNode): ReactNode => (
      <Space size={6} wrap>
        <span>{r.name}</span>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {r.code}
        </Typography.Text>
        <Tag color="default" style={{ marginInlineEnd: 0 }}>
          {t(`regions.level.${r.level}` as MessageKey)}
        </Tag>
        <Tag color={r.schools > 0 ? 'blue' : 'default'} style={{ marginInlineEnd: 0 }}>
          {t('regions.schools', { n: r.schools })}
        </Tag>
        {r.level === 'county' && r.schools > 0 && (
          <Link to={`/schools?county=${r.code}`} onClick={(e) => e.stopPropagation()}>
            {t('regions.openSchools')}
          </Link>
        )}
      </Space>
    );
    const toData = (n: TreeNode): DataNode | null => {
      const hit = !q || n.region.name.toLowerCase().includes(q) || n.region.code.startsWith(q);
      const kids = n.children.map(toData).filter((c): c is DataNode => c !== null);
      if (!hit && kids.length === 0) return null;
      if (q && kids.length) matched.push(n.region.code);
      if (
        n.region.level === 'province' ||
        n.region.level === 'city' ||
        (n.region.level === 'county' && fewCounties)
      )
        defaults.push(n.region.code);
      return { key: n.region.code, title: title(n.region), children: kids.length ? kids : undefined };
    };
    return {
      treeData: forest.map(toData).filter((c): c is DataNode => c !== null),
      matchedKeys: matched,
      defaultKeys: defaults,
    };
  }, [forest, search, t, data]);

  const expandedKeys = search.trim() ? matchedKeys : (expanded ?? defaultKeys);

  return (
    <>
      <PageHeader
        title={t('regions.title')}
        extra={
          <Input.Search
            allowClear
            placeholder={t('regions.search')}
            onSearch={setSearch}
            onChange={(e) => e.target.value === '' && setSearch('')}
            style={{ width: 260 }}
            data-testid="region-search"
          />
        }
      />
      <Card>
        {isPending ? (
          <Loading />
        ) : error ? (
          <ErrorAlert error={error} onRetry={() => void refetch()} />
        ) : treeData.length === 0 ? (
          <EmptyState description={t('regions.empty')} />
        ) : (
          <Tree
            showLine
            blockNode
            selectable={false}
            treeData={treeData}
            expandedKeys={expandedKeys}
            onExpand={(keys) => setExpanded(keys.map(String))}
            data-testid="region-tree"
          />
        )}
      </Card>
    </>
  );
}
