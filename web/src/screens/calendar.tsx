import { Page } from '../ui';
export function Calendar() {
  return <Page title="일정">…</Page>;
}
