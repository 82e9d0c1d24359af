import { Page } from '../ui';
export function CaseDetail(props: { id: string }) {
  return <Page title={'상담 ' + props.id}>…</Page>;
}
