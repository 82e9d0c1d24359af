import { Page } from '../ui';
export function Intake() {
  return <Page title="상담 접수">…</Page>;
}
