import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Flex, Modal, Select, Typography, Upload } from 'antd';
import { useState } from 'react';
import { api } from '../api/client.ts';
import { useCounties } from '../api/queries.ts';
import { Icon } from '../components/icons.tsx';
import { ErrorAlert } from '../components/states.tsx';
import { useLang } from '../i18n/lang.tsx';

/** The bureau's own county or township outlines (GeoJSON) for one county, drawn under the map's dots. */
export function OutlinesUpload({ defaultCounty }: { defaultCounty?: string }) {
  const { t } = useLang();
  const { message } = App.useApp();
  const client = useQueryClient();
  const counties = useCounties();
  const [open, setOpen] = useState(false);
  const [county, setCounty] = useState<string | undefined>(defaultCounty);
  const region = county ?? (counties.length === 1 ? counties[0].code : undefined);
  const upload = useMutation({
    mutationFn: (file: File) => {
      const form = new FormData();
      form.append('file', file, file.name);
      return api.upload<{ features: number }>(
        `/api/map/outlines?region=${encodeURIComponent(region ?? '')}`,
        form,
      );
    },
    onSuccess: (r) => {
      message.success(t('map.outlinesDone', { n: r.features }));
      void client.invalidateQueries({ queryKey: ['map'] });
      setOpen(false);
    },
  });
  return (
    <>
      <Button icon={<Icon name="upload" />} onClick={() => setOpen(true)} data-testid="outlines-open">
        {t('map.outlines')}
      </Button>
      <Modal
        open={open}
        title={t('map.outlines')}
        onCancel={() => setOpen(false)}
        footer={null}
        afterClose={() => upload.reset()}
      >
        <Flex vertical gap={12}>
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
            {t('map.outlinesHelp')}
          </Typography.Paragraph>
          {counties.length > 1 && (
            <Select
              placeholder={t('common.county')}
              value={county}
              onChange={setCounty}
              options={counties.map((c) => ({ value: c.code, label: c.name }))}
              showSearch={{ optionFilterProp: 'label' }}
              aria-label={t('common.county')}
            />
          )}
          <Upload
            accept=".geojson,.json,application/geo+json,application/json"
            showUploadList={false}
            disabled={!region || upload.isPending}
            beforeUpload={(file) => {
              upload.mutate(file);
              return Upload.LIST_IGNORE;
            }}
          >
            <Button
              type="primary"
              loading={upload.isPending}
              disabled={!region}
              icon={<Icon name="upload" />}
            >
              {t('map.outlinesChoose')}
            </Button>
          </Upload>
          {upload.error && <ErrorAlert error={upload.error} />}
        </Flex>
      </Modal>
    </>
  );
}
