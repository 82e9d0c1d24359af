import { Page } from '../ui';
export function Admin() {
  return <Page title="관리">…</Page>;
}
