import { Page } from '../ui';
export function Dashboard() {
  return <Page title="현황판">…</Page>;
}
