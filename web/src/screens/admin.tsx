// 관리 — the administrator's screens: users and roles, the agency directory,
// categories, statutory deadlines and holidays, the access records and the
// triage model, the message texts with the outbox, and the Open311 apps.
// /admin and /admin/:section, with a sub-navigation between the sections.
import type { ComponentChildren } from 'preact';
import { strings } from '../i18n';
import { me } from '../session';
import { Page } from '../ui';
import { AdminUsers } from './admin_users';
import { AdminAgencies } from './admin_agencies';
import { AdminCategories } from './admin_categories';
import { AdminSettings } from './admin_settings';
import { AdminAccessRecords } from './admin_access';
import { AdminTriage } from './admin_triage';
import { AdminNotifications } from './admin_notifications';
import { AdminOpen311 } from './admin_open311';
import './admin.css';

const S = () =>
  strings({
    admin: { ko: '관리', en: 'Admin' },
    menu: { ko: '관리 메뉴', en: 'Admin menu' },
    users: { ko: '사용자', en: 'Users' },
    agencies: { ko: '연계 기관', en: 'Agencies' },
    categories: { ko: '상담 분야', en: 'Categories' },
    settings: { ko: '기한·공휴일', en: 'Deadlines and holidays' },
    access: { ko: '접속기록', en: 'Access records' },
    triage: { ko: '분류 모델', en: 'Triage model' },
    notifications: { ko: '알림', en: 'Notifications' },
    open311: { ko: 'Open311 앱', en: 'Open311 apps' },
    notAdmin: { ko: '이 화면은 시스템 관리자만 쓸 수 있습니다.', en: 'Only administrators can use this screen.' },
    noSection: { ko: '없는 관리 화면입니다. 위 메뉴에서 고르세요.', en: 'There is no such admin screen. Choose one in the menu above.' },
  });

type Key = 'users' | 'agencies' | 'categories' | 'settings' | 'access-records' | 'triage' | 'notifications' | 'open311';

const SECTIONS: { key: Key; title: () => string; view: () => ComponentChildren }[] = [
  { key: 'users', title: () => S().users, view: () => <AdminUsers /> },
  { key: 'agencies', title: () => S().agencies, view: () => <AdminAgencies /> },
  { key: 'categories', title: () => S().categories, view: () => <AdminCategories /> },
  { key: 'settings', title: () => S().settings, view: () => <AdminSettings /> },
  { key: 'access-records', title: () => S().access, view: () => <AdminAccessRecords /> },
  { key: 'triage', title: () => S().triage, view: () => <AdminTriage /> },
  { key: 'notifications', title: () => S().notifications, view: () => <AdminNotifications /> },
  { key: 'open311', title: () => S().open311, view: () => <AdminOpen311 /> },
];

export function Admin(props: { section?: string }) {
  const s = S();
  const key = props.section || 'users';
  const section = SECTIONS.find((x) => x.key === key);
  if (me.value?.role !== 'admin') {
    return (
      <Page title={s.admin}>
        <p>{s.notAdmin}</p>
      </Page>
    );
  }
  return (
    <Page key={key} title={section ? `${s.admin} · ${section.title()}` : s.admin} wide>
      <nav class="admin-subnav" aria-label={s.menu}>
        <ul>
          {SECTIONS.map((x) => (
            <li>
              <a href={'/admin/' + x.key} aria-current={x.key === key ? 'page' : undefined}>
                {x.title()}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {section ? section.view() : <p>{s.noSection}</p>}
    </Page>
  );
}
