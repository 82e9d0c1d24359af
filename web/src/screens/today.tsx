import { Page } from '../ui';
export function Today() {
  return <Page title="오늘의 업무">…</Page>;
}
