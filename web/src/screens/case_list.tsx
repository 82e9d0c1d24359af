import { Page } from '../ui';
export function CaseList() {
  return <Page title="상담 목록">…</Page>;
}
