import { Page } from '../ui';
export function ReferralInbox() {
  return <Page title="연계 요청함">…</Page>;
}
export function ReferralDetail(props: { id: string }) {
  return <Page title={'연계 ' + props.id}>…</Page>;
}
